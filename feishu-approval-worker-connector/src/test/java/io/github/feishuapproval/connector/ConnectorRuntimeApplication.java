package io.github.feishuapproval.connector;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Camunda's Connector Runtime as the bundle image runs it: its Spring Boot starter, nothing of ours but the jar. */
@SpringBootApplication
class ConnectorRuntimeApplication {}

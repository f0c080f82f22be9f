package com.example.escalation;

import io.camunda.client.annotation.Deployment;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A team's own job-worker application: its own worker tells an operator about approvals that could not be rejected,
 * and the Feishu job workers come from the starter, configured by the feishu.* properties.
 */
@SpringBootApplication
@Deployment(resources = "classpath:escalation.bpmn")
public class EscalationApplication {
  public static void main(String[] args) {
    SpringApplication.run(EscalationApplication.class, args);
  }
}

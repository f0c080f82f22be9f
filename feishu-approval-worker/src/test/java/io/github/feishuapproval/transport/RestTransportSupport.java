package io.github.feishuapproval.transport;

import io.github.feishuapproval.app.FeishuApprovalWorkerApplication;
import io.github.feishuapproval.testkit.FeishuSimulator;
import io.github.feishuapproval.sandbox.RestJobGateway;
import io.github.feishuapproval.worker.JobOperations;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The real Spring worker over Camunda's REST API, against a stand-in of the orchestration cluster's job endpoints and
 * the Feishu simulator. The gRPC address points nowhere: anything that went over gRPC would fail. Idle long polls are
 * held for a minute, so a command that had to wait for a poll to end would arrive only after that minute.
 */
@SpringBootTest(classes = FeishuApprovalWorkerApplication.class)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
abstract class RestTransportSupport {

  static final Set<String> ALL_TYPES =
      JobOperations.ALL.stream().map(o -> o.jobType()).collect(Collectors.toUnmodifiableSet());
  static final Duration WAIT = Duration.ofSeconds(30);

  /** Each test class has a gateway and a simulator of its own, so no poll of an earlier class's worker lingers. */
  static void overRest(DynamicPropertyRegistry registry, RestJobGateway gateway, FeishuSimulator feishu) {
    registry.add("camunda.client.rest-address", () -> gateway.restAddress().toString());
    registry.add("camunda.client.grpc-address", () -> "http://127.0.0.1:1");
    registry.add("camunda.client.prefer-rest-over-grpc", () -> "true");
    registry.add("camunda.client.auth.method", () -> "none");
    registry.add("camunda.client.worker.defaults.request-timeout", () -> "60s");
    registry.add("feishu.app-id", () -> FeishuSimulator.APP_ID);
    registry.add("feishu.app-secret", () -> FeishuSimulator.APP_SECRET);
    registry.add("feishu.apps.second.app-id", () -> FeishuSimulator.SECOND_APP_ID);
    registry.add("feishu.apps.second.app-secret", () -> FeishuSimulator.SECOND_APP_SECRET);
    registry.add("feishu.base-url", () -> feishu.baseUrl().toString());
  }
}

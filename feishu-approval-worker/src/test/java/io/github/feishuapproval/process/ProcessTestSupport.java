package io.github.feishuapproval.process;

import io.camunda.client.CamundaClient;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.github.feishuapproval.app.FeishuApprovalWorkerApplication;
import io.github.feishuapproval.sandbox.EmbeddedEngine;
import io.github.feishuapproval.sandbox.EngineProbe;
import io.github.feishuapproval.testkit.FeishuSimulator;
import io.github.feishuapproval.testkit.SimulatedApprovalEvents;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Runs the real Spring worker against Zeebe Process Test's embedded engine and the local Feishu simulator. All
 * process test classes share one engine and one simulator; each class has a worker (an application context) of its
 * own, closed after it, so that no worker polls this engine while a later class runs another engine in the same JVM:
 * the embedded engine writes its answers through static fields, and two engines answering at once garble each other's.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@AutoConfigureObservability
@SpringBootTest(classes = FeishuApprovalWorkerApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class ProcessTestSupport {

  static final ZeebeTestEngine ENGINE = EmbeddedEngine.shared();
  static final FeishuSimulator FEISHU = new FeishuSimulator().start();
  static final EngineProbe PROBE = new EngineProbe(ENGINE, Duration.ofSeconds(30));
  private static boolean deployed;

  @Autowired CamundaClient camunda;

  @DynamicPropertySource
  static void wireEngineAndSimulator(DynamicPropertyRegistry registry) {
    registry.add("camunda.client.grpc-address", EmbeddedEngine::grpcAddress);
    registry.add("camunda.client.prefer-rest-over-grpc", () -> "false");
    registry.add("feishu.app-id", () -> FeishuSimulator.APP_ID);
    registry.add("feishu.app-secret", () -> FeishuSimulator.APP_SECRET);
    registry.add("feishu.base-url", () -> FEISHU.baseUrl().toString());
    registry.add("feishu.apps.second.app-id", () -> FeishuSimulator.SECOND_APP_ID);
    registry.add("feishu.apps.second.app-secret", () -> FeishuSimulator.SECOND_APP_SECRET);
    // the engine's one tenant may act as both apps, and as the default app without a feishuApp header
    registry.add("feishu.camunda-tenants", () -> "<default>");
    registry.add("feishu.apps.second.camunda-tenants", () -> "<default>");
    registry.add("camunda.client.auth.method", () -> "none");
  }

  @BeforeEach
  void deployExamplesAndResetFeishu() {
    FEISHU.reset();
    synchronized (ProcessTestSupport.class) {
      if (!deployed) {
        camunda.newDeployResourceCommand()
            .addResourceFile(Path.of("bpmn", "feishu-approval-reject.bpmn").toString())
            .addResourceFile(Path.of("bpmn", "feishu-approval-escalation.bpmn").toString())
            .addResourceFile(Path.of("bpmn", "feishu-apaas-escalation.bpmn").toString())
            .addResourceFile(Path.of("bpmn", "feishu-approval-v4-escalation.bpmn").toString())
            .send().join();
        deployed = true;
      }
    }
  }

  /** The default app's event subscription keys, and the approval definition it subscribes to at start. */
  static void approvalEvents(DynamicPropertyRegistry registry, String token, String key, String approvalCode) {
    registry.add("feishu.verification-token", () -> token);
    registry.add("feishu.encrypt-key", () -> key);
    registry.add("feishu.approval-codes", () -> approvalCode);
  }

  /**
   * A Feishu Approval definition with one approver, whose events Feishu pushes, encrypted and signed, to the worker
   * on {@code port}; returns once the worker's subscription to it is in.
   */
  static void pushApprovalEvents(int port, String token, String key, String approvalCode, String approver) {
    FEISHU.approvalV4().definition(approvalCode, approver);
    FEISHU.approvalEvents().target(FeishuSimulator.APP_ID, new SimulatedApprovalEvents.Target(
        URI.create("http://127.0.0.1:" + port + "/feishu/events/default"), token, Optional.of(key)));
    FEISHU.approvalEvents().retryDelays(Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(800));
    PROBE.await(() -> FEISHU.approvalEvents().subscribed(FeishuSimulator.APP_ID, approvalCode)
        ? Optional.of(true) : Optional.empty(), "the worker's subscription to " + approvalCode);
  }

  long start(String bpmnProcessId, Map<String, Object> variables) {
    return camunda.newCreateInstanceCommand().bpmnProcessId(bpmnProcessId).latestVersion()
        .variables(variables).send().join().getProcessInstanceKey();
  }
}

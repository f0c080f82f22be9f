package com.example.escalation;

import static io.github.feishuapproval.testkit.FeishuAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.camunda.client.CamundaClient;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.process.test.engine.EngineFactory;
import io.github.feishuapproval.testkit.Fault;
import io.github.feishuapproval.testkit.FeishuSimulator;
import io.github.feishuapproval.testkit.ProcessWaits;
import io.github.feishuapproval.testkit.SimulatedFlowRuns;
import io.github.feishuapproval.testsupport.TestCertificates;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole application, its own job worker and the Feishu job workers of the starter side by side, on an embedded
 * Zeebe Process Test engine, against the test kit's Feishu over TLS: its certificate is signed by a throwaway CA that
 * the application trusts only as an operator would tell a JVM to, through the javax.net.ssl.trustStore properties.
 * The test kit plays the aPaaS flow too: its human task, and its HTTP node posting the decision to the application's
 * callback endpoint.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class EscalationApplicationTest {

  static final String TRUST_STORE_PASSWORD = "escalation-app-trust";
  static final String CALLBACK_SECRET = "escalation-app-callback-secret-3f2e";
  static final String OPERATOR = "1783981209205788";
  static final AtomicLong APPROVERS = new AtomicLong(1783981209400000L);

  static final ZeebeTestEngine ENGINE = startEngine();
  static final Path CERTIFICATES = throwawayCaTrustedByThisJvm();
  static final FeishuSimulator FEISHU = new FeishuSimulator().tls(serverSide(CERTIFICATES)).start();
  static final ProcessWaits WAITS = ProcessWaits.on(ENGINE);

  @Autowired CamundaClient camunda;
  @Autowired OperatorNotifications notifications;
  @LocalServerPort int port;

  @DynamicPropertySource
  static void engineAndFeishu(DynamicPropertyRegistry registry) {
    registry.add("camunda.client.grpc-address", () -> "http://" + ENGINE.getGatewayAddress());
    registry.add("camunda.client.prefer-rest-over-grpc", () -> "false");
    registry.add("camunda.client.auth.method", () -> "none");
    registry.add("feishu.app-id", () -> FeishuSimulator.APP_ID);
    registry.add("feishu.app-secret", () -> FeishuSimulator.APP_SECRET);
    registry.add("feishu.base-url", () -> FEISHU.baseUrl().toString());
    registry.add("feishu.callback-secret", () -> CALLBACK_SECRET);
  }

  @AfterAll
  static void stopEngineAndFeishu() throws IOException {
    ENGINE.stop();
    FEISHU.close();
    Stream.of("javax.net.ssl.trustStore", "javax.net.ssl.trustStorePassword", "javax.net.ssl.trustStoreType")
        .forEach(System::clearProperty);
    try (Stream<Path> files = Files.walk(CERTIFICATES)) {
      files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
    }
  }

  @Test
  void feishuIsReachedOverTls() {
    assertThat(FEISHU.baseUrl().getScheme()).isEqualTo("https");
  }

  @Test
  void aDecisionWithin48HoursEndsTheEscalationWithoutReminderOrReject() {
    Approval approval = startApproval();
    SimulatedFlowRuns.Run run = FEISHU.flowRuns().run(approval.requestId()).orElseThrow();

    FEISHU.flowRuns().decide(approval.requestId(), "agree", approval.approver(), "同意");

    assertThat(WAITS.untilEnded(approval.instance()).endEvent()).contains("DecidedInTime");
    assertThat(FEISHU.flowRuns().reminders(run.taskId())).isEmpty();
    assertThat(FEISHU).receivedNoCallFor(run.taskId());
  }

  @Test
  void withoutADecisionTheApproverIsRemindedAfter48HoursAndTheTaskRejectedInFeishuAfter72() {
    Approval approval = startApproval();
    SimulatedFlowRuns.Run run = FEISHU.flowRuns().run(approval.requestId()).orElseThrow();

    ENGINE.increaseTime(Duration.ofHours(48));
    WAITS.untilActivated(approval.instance(), "WaitAfterReminder");
    ENGINE.increaseTime(Duration.ofHours(24));

    assertThat(WAITS.untilEnded(approval.instance()).endEvent()).contains("AutoRejected");
    assertThat(FEISHU.flowRuns().reminders(run.taskId())).hasSize(1);
    assertThat(FEISHU).rejected(run.taskId()).byUser(OPERATOR).withOpinion("超时自动拒绝");
    assertThat(notifications.sent()).noneMatch(n -> n.approvalTaskId().equals(run.taskId()));
  }

  @Test
  void aRejectFeishuRefusesWith2320001GoesToTheOperatorThroughTheApplicationsOwnWorker() {
    Approval approval = startApproval();
    String taskId = FEISHU.flowRuns().run(approval.requestId()).orElseThrow().taskId();
    // the task's first call is the reminder, answered normally; its second, the reject, gets 2320001
    FEISHU.script(taskId, Fault.normal(), Fault.code(2320001));

    ENGINE.increaseTime(Duration.ofHours(48));
    WAITS.untilActivated(approval.instance(), "WaitAfterReminder");
    ENGINE.increaseTime(Duration.ofHours(24));

    assertThat(WAITS.untilEnded(approval.instance()).endEvent()).contains("OperatorNotified");
    assertThat(FEISHU).rejected(taskId).withOpinion("超时自动拒绝");
    assertThat(notifications.sent()).anySatisfy(notice -> {
      assertThat(notice.approvalTaskId()).isEqualTo(taskId);
      assertThat(notice.feishuErrorCode()).isEqualTo(2320001);
      assertThat(notice.feishuLogId()).isNotBlank();
    });
  }

  private record Approval(long instance, String requestId, String approver) {}

  /** A flow whose human task is a new approver's, started by a new instance that now waits for the decision. */
  private Approval startApproval() {
    String approver = Long.toString(APPROVERS.incrementAndGet());
    String flowId = "expense_approval_" + approver;
    String requestId = "REQ-" + approver;
    FEISHU.flowRuns().humanTask(flowId, approver,
        URI.create("http://127.0.0.1:" + port + "/feishu/callbacks/default"), CALLBACK_SECRET, "requestId");
    long instance = camunda.newCreateInstanceCommand().bpmnProcessId("escalation-app-review").latestVersion()
        .variables(Map.of("namespace", "package_expense__c", "flowId", flowId, "operatorUserId", OPERATOR,
            "approverUserId", approver, "requestId", requestId))
        .send().join().getProcessInstanceKey();
    WAITS.untilActivated(instance, "WaitForDecision");
    return new Approval(instance, requestId, approver);
  }

  /** Set before the Spring context starts, as -Djavax.net.ssl.trustStore=... on an operator's command line would be. */
  private static Path throwawayCaTrustedByThisJvm() {
    try {
      Path dir = TestCertificates.createEcdsa(Files.createTempDirectory("escalation-app-tls"));
      Path trustStore = dir.resolve("trust.p12");
      TestCertificates.writeTrustStore(dir, trustStore, TRUST_STORE_PASSWORD.toCharArray());
      System.setProperty("javax.net.ssl.trustStore", trustStore.toString());
      System.setProperty("javax.net.ssl.trustStorePassword", TRUST_STORE_PASSWORD);
      System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
      return dir;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("the throwaway CA could not be made", e);
    }
  }

  private static SSLSocketFactory serverSide(Path certificates) {
    try {
      return TestCertificates.serverContext(certificates).getSocketFactory();
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("the simulator's certificate could not be loaded", e);
    }
  }

  private static ZeebeTestEngine startEngine() {
    ZeebeTestEngine engine = EngineFactory.create();
    engine.start();
    return engine;
  }
}

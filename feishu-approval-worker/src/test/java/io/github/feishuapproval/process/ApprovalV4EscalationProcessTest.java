package io.github.feishuapproval.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.feishuapproval.testkit.Fault;
import io.github.feishuapproval.testkit.FeishuSimulator;
import io.github.feishuapproval.testkit.SimulatedApprovalV4;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * bpmn/feishu-approval-v4-escalation.bpmn: the process starts a Feishu approval and waits for its decision, pushed
 * by Feishu as an event; after 48 hours without one it rejects the pending task.
 */
class ApprovalV4EscalationProcessTest extends ProcessTestSupport {

  private static final String PROCESS = "feishu-approval-v4-escalation";
  private static final String TOKEN = "verification-token-v4-escalation-5e1a";
  private static final String KEY = "encrypt-key-v4-escalation-0c7d";
  private static final String APPROVAL = "5B7E21D0-ESCALATION-4C5A-9F1E-3D2A66C0B8E4";
  private static final String APPROVER = "approver-escalation";
  private static final ObjectMapper JSON = new ObjectMapper();

  @LocalServerPort int port;

  @DynamicPropertySource
  static void approvalEvents(DynamicPropertyRegistry registry) {
    approvalEvents(registry, TOKEN, KEY, APPROVAL);
  }

  @BeforeEach
  void pointFeishuAtTheWorker() {
    pushApprovalEvents(port, TOKEN, KEY, APPROVAL, APPROVER);
  }

  @Test
  void anApprovalWithin48HoursEndsTheProcessWithTheDecisionAndNothingIsRejected() throws Exception {
    long instance = startApproval();
    String code = awaitWaiting(instance);
    String task = pendingTaskOf(code);

    assertThat(FEISHU.approverDecides(FeishuSimulator.APP_ID, code, true, "同意")).isTrue();

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("DecidedInTime");
    assertThat(PROBE.variable(instance, "status")).contains("\"APPROVED\"");
    ENGINE.increaseTime(Duration.ofHours(48));
    assertThat(FEISHU.callsFor(task)).as("calls about the task after the decision").isEmpty();
  }

  @Test
  void aRejectionInFeishuWithin48HoursEndsTheProcessWithIt() throws Exception {
    long instance = startApproval();
    String code = awaitWaiting(instance);

    assertThat(FEISHU.approverDecides(FeishuSimulator.APP_ID, code, false, "不同意")).isTrue();

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("DecidedInTime");
    assertThat(PROBE.variable(instance, "status")).contains("\"REJECTED\"");
  }

  @Test
  void nobodyDecidingFor48HoursRejectsThePendingTaskOnTheApproversBehalf() throws Exception {
    long instance = startApproval();
    String code = awaitWaiting(instance);
    String task = pendingTaskOf(code);

    ENGINE.increaseTime(Duration.ofHours(48));

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("AutoRejected");
    SimulatedApprovalV4.Instance rejected = FEISHU.approvalV4().instance(code).orElseThrow();
    assertThat(rejected.status()).isEqualTo("REJECTED");
    FeishuSimulator.Call reject = FEISHU.callsFor(task).stream()
        .filter(c -> c.action().equals("v4_reject_task")).findFirst().orElseThrow();
    assertThat(reject.body().path("user_id").asText()).isEqualTo(APPROVER);
    assertThat(reject.body().path("comment").asText()).isEqualTo("超时自动拒绝");
    assertThat(FEISHU.actionsCarriedOut()).containsEntry("v4_reject_task " + task, 1);
  }

  @Test
  void aDecisionWhoseEventNeverCameIsFoundWhenTheProcessLooksAfter48HoursAndNothingIsRejected() throws Exception {
    long instance = startApproval();
    String code = awaitWaiting(instance);
    String task = pendingTaskOf(code);
    // decided by an app the definition's events do not go to: the process hears nothing
    assertThat(FEISHU.approverDecides(FeishuSimulator.SECOND_APP_ID, code, true, "同意")).isTrue();

    ENGINE.increaseTime(Duration.ofHours(48));

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("DecidedWhileLooking");
    assertThat(FEISHU.callsFor(task)).as("calls about the decided task").isEmpty();
  }

  @Test
  void aRejectFeishuRefusesEndsOnItsOwnPathInsteadOfAnIncident() throws Exception {
    long instance = startApproval();
    String code = awaitWaiting(instance);
    FEISHU.script(pendingTaskOf(code), Fault.code(400, 1390009, "no permission"));

    ENGINE.increaseTime(Duration.ofHours(48));

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("DecidedWhileRejecting");
    assertThat(FEISHU.approvalV4().instance(code).orElseThrow().status()).isEqualTo("PENDING");
  }

  private long startApproval() {
    return start(PROCESS, Map.of("approvalCode", APPROVAL, "initiatorUserId", "initiator-escalation", "form",
        List.of(Map.of("id", "leave_days", "type", "number", "value", "3"))));
  }

  /**
   * The instance code, once the process waits for the decision again after Feishu's PENDING event: that event loops
   * back to the waiting, which starts the 48 hours anew.
   */
  private String awaitWaiting(long instance) throws Exception {
    PROBE.awaitTimersStarted(instance, 2);
    JsonNode created = JSON.readTree(PROBE.variable(instance, "approvalInstance").orElseThrow());
    return created.path("instanceCode").asText();
  }

  private static String pendingTaskOf(String instanceCode) {
    return FEISHU.approvalV4().instance(instanceCode).orElseThrow().tasks().stream()
        .filter(t -> t.status().equals("PENDING")).findFirst().orElseThrow().id();
  }
}

package io.github.feishuapproval.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.feishuapproval.sandbox.MessageRecords;
import io.github.feishuapproval.testkit.SimulatedFlowRuns;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * bpmn/feishu-apaas-escalation.bpmn: the process starts an aPaaS approval flow and waits for its decision; after 48
 * hours it reminds the approver, after 24 more it rejects the task; every way ends with the flow's decision.
 */
class ApaasEscalationProcessTest extends ProcessTestSupport {

  private static final String PROCESS = "feishu-apaas-escalation";
  private static final String SECRET = "escalation-callback-secret-61b0";
  private static final String OPERATOR = "1783981209205788";
  private static final AtomicLong IDS = new AtomicLong(1783981209300000L);
  private static final ObjectMapper JSON = new ObjectMapper();

  @LocalServerPort int port;

  @DynamicPropertySource
  static void callbackSecret(DynamicPropertyRegistry registry) {
    registry.add("feishu.callback-secret", () -> SECRET);
  }

  @Test
  void aDecisionWithin48HoursEndsTheProcessWithItAndNobodyIsRemindedOrRejected() {
    Approval approval = startApproval();

    SimulatedFlowRuns.Run run = runOf(approval);
    assertThat(FEISHU.flowRuns().decide(approval.requestId(), "agree", approval.approver(), "同意").status())
        .isEqualTo(200);

    assertThat(PROBE.awaitEnding(approval.instance()).endEvent()).contains("DecidedInTime");
    assertThat(PROBE.variable(approval.instance(), "decision")).contains("\"agree\"");
    assertThat(PROBE.variable(approval.instance(), "opinion")).contains("\"同意\"");
    assertThat(FEISHU.flowRuns().reminders(run.taskId())).isEmpty();
    assertThat(actions("reject " + run.taskId(), "expediting " + run.taskId())).isEmpty();
  }

  @Test
  void aDecisionAfterTheReminderEndsTheProcessWithItWithoutAReject() {
    Approval approval = startApproval();
    SimulatedFlowRuns.Run run = runOf(approval);

    ENGINE.increaseTime(Duration.ofHours(48));
    PROBE.awaitElementActivated(approval.instance(), "WaitAfterReminder");
    assertThat(FEISHU.flowRuns().reminders(run.taskId())).singleElement().satisfies(reminder -> {
      assertThat(reminder.remindedUserIds()).containsExactly(approval.approver());
      assertThat(reminder.operatorUserId()).isEqualTo(OPERATOR);
    });
    assertThat(FEISHU.flowRuns().decide(run.executionId(), "rejected", approval.approver(), "金额不对").status())
        .isEqualTo(200);

    assertThat(PROBE.awaitEnding(approval.instance()).endEvent()).contains("DecidedAfterReminder");
    assertThat(PROBE.variable(approval.instance(), "decision")).contains("\"rejected\"");
    assertThat(PROBE.variable(approval.instance(), "userId")).contains("\"" + approval.approver() + "\"");
    assertThat(actions("reject " + run.taskId())).isEmpty();
  }

  @Test
  void nobodyDecidingIsRemindedAfter48HoursAndRejectedOnceAfter72WithTheRejectionAsTheDecision() {
    Approval approval = startApproval();
    SimulatedFlowRuns.Run run = runOf(approval);
    // another flow's pending task of the same approver comes first: the filter must pass it by
    FEISHU.userTasks(approval.approver(), List.of(JSON.createObjectNode().put("task_id", "1785996265199999")
        .set("workflow_instance", JSON.createObjectNode().put("id", "1797000000999999"))));

    ENGINE.increaseTime(Duration.ofHours(48));
    PROBE.awaitElementActivated(approval.instance(), "WaitAfterReminder");
    ENGINE.increaseTime(Duration.ofHours(24));

    assertThat(PROBE.awaitEnding(approval.instance()).endEvent()).contains("AutoRejected");
    assertThat(FEISHU.flowRuns().reminders(run.taskId())).hasSize(1);
    assertThat(actions("reject " + run.taskId())).containsEntry("reject " + run.taskId(), 1);
    assertThat(FEISHU.callsFor("1785996265199999")).isEmpty();
    assertThat(FEISHU.callsFor(run.taskId())).filteredOn(call -> call.action().equals("reject")).singleElement()
        .satisfies(call -> {
          assertThat(call.body().path("user_id").asText()).isEqualTo(OPERATOR);
          assertThat(call.body().path("opinion").asText()).isEqualTo("超时自动拒绝");
        });
    assertThat(PROBE.variable(approval.instance(), "decision")).contains("\"rejected\"");
    assertThat(PROBE.variable(approval.instance(), "taskId")).contains("\"" + run.taskId() + "\"");
    assertThat(FEISHU.flowRuns().run(run.executionId()).orElseThrow().pending()).isFalse();
  }

  @Test
  void aDecisionArrivingWhileThePendingTaskIsLookedForEndsTheProcessWithItWithoutAReminder() {
    Approval approval = startApproval();
    SimulatedFlowRuns.Run run = runOf(approval);
    // the query is answered only after the approver has decided
    FEISHU.latency(Duration.ofSeconds(2));

    ENGINE.increaseTime(Duration.ofHours(48));
    PROBE.awaitElementActivated(approval.instance(), "FindPendingTask");
    assertThat(FEISHU.flowRuns().decide(approval.requestId(), "agree", approval.approver(), "").status())
        .isEqualTo(200);

    assertThat(PROBE.awaitEnding(approval.instance()).endEvent()).contains("DecidedWhileLooking");
    assertThat(PROBE.variable(approval.instance(), "decision")).contains("\"agree\"");
    assertThat(actions("reject " + run.taskId(), "expediting " + run.taskId())).isEmpty();
  }

  @Test
  void theDecisionPostedTwiceIsOneMessage() {
    Approval approval = startApproval();
    SimulatedFlowRuns.Run run = runOf(approval);

    assertThat(FEISHU.flowRuns().decide(approval.requestId(), "agree", approval.approver(), "").status())
        .isEqualTo(200);
    assertThat(FEISHU.flowRuns().postAgain(approval.requestId()).status()).isEqualTo(200);

    assertThat(PROBE.awaitEnding(approval.instance()).endEvent()).contains("DecidedInTime");
    assertThat(MessageRecords.publishCommands(ENGINE, run.executionId() + "/" + run.taskId())).hasSize(1);
  }

  private record Approval(long instance, String requestId, String approver, String flowId) {}

  /** A new flow with a human task for a new approver, started by a new instance now waiting for the decision. */
  private Approval startApproval() {
    String approver = Long.toString(IDS.incrementAndGet());
    String flowId = "expense_approval_" + approver;
    String requestId = "REQ-" + approver;
    FEISHU.flowRuns().humanTask(flowId, approver,
        URI.create("http://127.0.0.1:" + port + "/feishu/callbacks/default"), SECRET, "requestId");
    long instance = start(PROCESS, Map.of("namespace", "package_expense__c", "flowId", flowId,
        "operatorUserId", OPERATOR, "approverUserId", approver, "requestId", requestId));
    PROBE.awaitElementActivated(instance, "WaitForDecision");
    return new Approval(instance, requestId, approver, flowId);
  }

  private static SimulatedFlowRuns.Run runOf(Approval approval) {
    return FEISHU.flowRuns().run(approval.requestId()).orElseThrow();
  }

  private static Map<String, Integer> actions(String... keys) {
    Map<String, Integer> carried = new java.util.HashMap<>(FEISHU.actionsCarriedOut());
    carried.keySet().retainAll(List.of(keys));
    return carried;
  }
}

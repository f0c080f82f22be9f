package io.github.feishuapproval.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.github.feishuapproval.testkit.Fault;
import io.github.feishuapproval.testkit.FeishuSimulator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every operation of the approval-task family, each through its own job type on the embedded engine. */
class ApprovalFamilyProcessTest extends ProcessTestSupport {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicLong IDS = new AtomicLong(1785996265150000L);

  @Test
  void agreeSendsUserAndOpinionToTheAgreePath() {
    String task = nextId();
    long instance = run("feishu-approval-agree", Map.of("approvalTaskId", task, "userId", 1783981209205788L,
        "opinion", "同意"), "agreeResult");

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("Done");
    FeishuSimulator.Call call = FEISHU.callsFor(task).getFirst();
    assertThat(call.path()).isEqualTo("/open-apis/apaas/v1/approval_tasks/" + task + "/agree");
    assertThat(call.body().toString()).isEqualTo("{\"user_id\":\"1783981209205788\",\"opinion\":\"同意\"}");
    assertThat(PROBE.variable(instance, "agreeResult").orElseThrow()).contains("\"code\":0");
  }

  @Test
  void transferSendsBothUserListsAsExactDigitStrings() {
    String task = nextId();
    long instance = run("feishu-approval-transfer", Map.of("approvalTaskId", task, "userId", "1783981209205788",
        "fromUserIds", List.of(1783981209205788L), "toUserIds", List.of("1783981209205999", 1783981209205111L)), null);

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("Done");
    FeishuSimulator.Call call = FEISHU.callsFor(task).getFirst();
    assertThat(call.path()).isEqualTo("/open-apis/apaas/v1/approval_tasks/" + task + "/transfer");
    assertThat(call.body().toString()).isEqualTo("{\"user_id\":\"1783981209205788\","
        + "\"from_user_ids\":[\"1783981209205788\"],\"to_user_ids\":[\"1783981209205999\",\"1783981209205111\"]}");
  }

  @Test
  void addAssigneeSendsApproversAndTheAssigneeType() {
    String task = nextId();
    long instance = run("feishu-approval-add-assignee", Map.of("approvalTaskId", task, "userId", "1",
        "approvers", List.of("2", "3"), "addAssigneeType", "afterAndAddAssign", "opinion", "加签"), null);

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("Done");
    FeishuSimulator.Call call = FEISHU.callsFor(task).getFirst();
    assertThat(call.path()).isEqualTo("/open-apis/apaas/v1/approval_tasks/" + task + "/add_assignee");
    assertThat(call.body().toString()).isEqualTo(
        "{\"user_id\":\"1\",\"approvers\":[\"2\",\"3\"],\"add_assignee_type\":\"afterAndAddAssign\",\"opinion\":\"加签\"}");
  }

  @Test
  void cancelInstanceSendsUserAndOpinionToTheInstancePath() {
    String instanceId = nextId();
    long instance = run("feishu-approval-instance-cancel", Map.of("approvalInstanceId", instanceId,
        "userId", "1783981209205788", "opinion", "流程撤回"), null);

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("Done");
    FeishuSimulator.Call call = FEISHU.callsFor(instanceId).getFirst();
    assertThat(call.path()).isEqualTo("/open-apis/apaas/v1/approval_instances/" + instanceId + "/cancel");
    assertThat(call.body().toString()).isEqualTo("{\"user_id\":\"1783981209205788\",\"opinion\":\"流程撤回\"}");
  }

  @Test
  void cancelWithoutOpinionIsAnIncidentBecauseFeishuRequiresOne() {
    String instanceId = nextId();
    long instance = run("feishu-approval-instance-cancel", Map.of("approvalInstanceId", instanceId, "userId", "1"), null);

    assertThat(PROBE.awaitEnding(instance).incident().orElseThrow()).contains("opinion is missing");
    assertThat(FEISHU.callsFor(instanceId)).isEmpty();
  }

  @Test
  void queryCompletesWithTheTasksAsAListTheProcessCanIterate() throws Exception {
    String user = nextId();
    FEISHU.userTasks(user, List.of(
        JSON.readTree("{\"task_id\":\"1785996265147395\",\"summary\":\"报销\"}"),
        JSON.readTree("{\"task_id\":\"1785996265147396\",\"summary\":\"请假\"}")));
    Map<String, Object> variables = Map.of("kunlunUserId", user, "type", "pending", "source", "assignMe",
        "limit", 10, "offset", "0", "startTime", 1764000000000L, "apiIds", List.of("api_1"));
    long instance = run("feishu-user-task-query", variables, "pendingTasks");

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("Done");
    FeishuSimulator.Call call = FEISHU.callsFor(user).getFirst();
    assertThat(call.path()).isEqualTo("/open-apis/apaas/v1/user_task/query");
    assertThat(call.body().toString()).isEqualTo("{\"kunlun_user_id\":\"" + user + "\",\"type\":\"pending\","
        + "\"source\":\"assignMe\",\"limit\":\"10\",\"offset\":\"0\",\"start_time\":\"1764000000000\",\"api_ids\":[\"api_1\"]}");
    JsonNode tasks = JSON.readTree(PROBE.variable(instance, "pendingTasks").orElseThrow());
    assertThat(tasks.isArray()).isTrue();
    assertThat(tasks).extracting(t -> t.path("task_id").asText()).containsExactly("1785996265147395", "1785996265147396");
  }

  @Test
  void queryWithoutResultVariableUsesUserTasks() {
    String user = nextId();
    long instance = run("feishu-user-task-query", Map.of("kunlunUserId", user), null);

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("Done");
    assertThat(PROBE.variable(instance, "userTasks")).contains("[]");
  }

  @Test
  void listsAreCheckedBeforeAnyCall() {
    String task = nextId();
    Map<String, Object> variables = new HashMap<>();
    variables.put("approvalTaskId", task);
    variables.put("userId", "1");
    variables.put("toUserIds", java.util.stream.LongStream.range(0, 21).mapToObj(Long::toString).toList());
    variables.put("fromUserIds", List.of("1", true));
    long instance = run("feishu-approval-transfer", variables, null);

    assertThat(PROBE.awaitEnding(instance).incident().orElseThrow()).contains(
        "fromUserIds [1] must be a string or an integer, got a boolean", "toUserIds has 21 entries; at most 20");
    assertThat(FEISHU.callsFor(task)).isEmpty();
  }

  @Test
  void unknownEnumValuesAndOutOfRangeNumbersAreRefusedByName() {
    String user = nextId();
    long instance = run("feishu-user-task-query", Map.of("kunlunUserId", user, "type", "done", "limit", 51), null);

    assertThat(PROBE.awaitEnding(instance).incident().orElseThrow())
        .contains("type must be one of pending, archived", "limit must be between 1 and 50");
    assertThat(FEISHU.callsFor(user)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"feishu-approval-agree", "feishu-approval-transfer", "feishu-approval-add-assignee"})
  void feishuBusinessErrorsBecomeBpmnErrorsForEveryTaskOperation(String jobType) {
    String task = nextId();
    FEISHU.script(task, Fault.code(404, 2320004, "user does not exist"));
    long instance = run(jobType, Map.of("approvalTaskId", task, "userId", "1"), null);

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("FeishuErrorCaught");
    assertThat(PROBE.variable(instance, "feishuErrorCode")).contains("2320004");
  }

  @ParameterizedTest
  @ValueSource(strings = {"feishu-approval-reject", "feishu-approval-instance-cancel", "feishu-user-task-query"})
  void aTenantKeyForASelfBuiltAppIsAnIncidentNamingTheVariableWithoutACall(String jobType) {
    String id = nextId();
    Map<String, Object> variables = Map.of("approvalTaskId", id, "approvalInstanceId", id, "kunlunUserId", id,
        "userId", "1", "opinion", "撤回", "tenantKey", "736588c9260f175d");
    long instance = run(jobType, variables, null);

    assertThat(PROBE.awaitEnding(instance).incident().orElseThrow()).contains(
        "tenantKey is set, but the Feishu app 'default' is a self-built app", "Nothing was sent to Feishu");
    assertThat(FEISHU.callsFor(id)).isEmpty();
  }

  @Test
  void aBlankTenantKeyFromAnEmptyTemplateFieldCountsAsNotGiven() {
    String task = nextId();
    long instance = run("feishu-approval-agree", Map.of("approvalTaskId", task, "userId", "1", "tenantKey", ""), null);

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("Done");
    assertThat(FEISHU.callsFor(task)).hasSize(1);
  }

  @Test
  void everyOperationSharesTheRetryContract() {
    String instanceId = nextId();
    FEISHU.script(instanceId, Fault.internalError());
    long instance = run("feishu-approval-instance-cancel", Map.of("approvalInstanceId", instanceId, "userId", "1",
        "opinion", "撤回"), null);

    assertThat(PROBE.awaitJobFailures(instance, 1).getFirst().getRetries()).isEqualTo(2);
    ENGINE.increaseTime(java.time.Duration.ofSeconds(1));
    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("Done");
  }

  private long run(String jobType, Map<String, Object> variables, String resultVariable) {
    String processId = "family-" + jobType;
    BpmnModelInstance model = Bpmn.createExecutableProcess(processId)
        .startEvent()
        .serviceTask("Call", task -> {
          task.zeebeJobType(jobType).zeebeJobRetries("3").zeebeTaskHeader("retryBackoff", "PT0.2S");
          if (resultVariable != null) task.zeebeTaskHeader("resultVariable", resultVariable);
        })
        .boundaryEvent("AnyFeishuError", b -> b.error())
        .endEvent("FeishuErrorCaught")
        .moveToActivity("Call")
        .endEvent("Done")
        .done();
    camunda.newDeployResourceCommand().addProcessModel(model, processId + ".bpmn").send().join();
    return start(processId, variables);
  }

  private static String nextId() {
    return Long.toString(IDS.incrementAndGet());
  }
}

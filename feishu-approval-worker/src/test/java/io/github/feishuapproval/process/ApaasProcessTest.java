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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Starting an aPaaS flow and the five user-task actions, each through its own job type on the embedded engine. */
class ApaasProcessTest extends ProcessTestSupport {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicLong IDS = new AtomicLong(1785996265170000L);
  private static final String OPERATOR = "1783981209205788";

  @Test
  void executeStartsTheFlowWithItsInputsAndCompletesWithTheExecution() throws Exception {
    String flow = "approve_" + nextId();
    FEISHU.flowOutParams(flow, "{\"approved\":true,\"amount\":1200}");
    long instance = run("feishu-apaas-flow-execute", Map.of("namespace", "package_expense__c", "flowId", flow,
        "operatorUserId", OPERATOR, "params", Map.of("amount", 1200, "reason", "差旅"), "isAsync", false), "started");

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("Done");
    FeishuSimulator.Call call = FEISHU.callsFor(flow).getFirst();
    assertThat(call.path()).isEqualTo("/open-apis/apaas/v1/applications/package_expense__c/flows/" + flow + "/execute");
    JsonNode body = call.body();
    assertThat(body.path("operator").textValue()).isEqualTo("{\"_id\":" + OPERATOR + "}");
    assertThat(JSON.readTree(body.path("params").textValue()))
        .isEqualTo(JSON.readTree("{\"amount\":1200,\"reason\":\"差旅\"}"));
    assertThat(body.path("is_async").isBoolean()).isTrue();
    assertThat(body.path("idempotent_key").textValue()).matches("[0-9]+-[0-9]+");
    JsonNode started = JSON.readTree(PROBE.variable(instance, "started").orElseThrow());
    assertThat(started.path("executionId").asText()).isNotBlank();
    assertThat(started.path("status").asText()).isEqualTo("end");
    assertThat(started.path("outParams")).isEqualTo(JSON.readTree("{\"approved\":true,\"amount\":1200}"));
    assertThat(started.path("idempotentKey").asText()).isEqualTo(body.path("idempotent_key").textValue());
    assertThat(started.path("alreadyStarted").asBoolean(true)).isFalse();
    assertThat(started.path("logId").asText()).isEqualTo(call.logId());
  }

  @Test
  void executeWithoutResultVariableUsesFlowExecutionAndTakesTheOperatorByEmail() throws Exception {
    String flow = "notify_" + nextId();
    long instance = run("feishu-apaas-flow-execute", Map.of("namespace", "ns", "flowId", flow,
        "operatorEmail", "apaas@example.com", "idempotentKey", "order-" + flow), null);

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("Done");
    JsonNode body = FEISHU.callsFor(flow).getFirst().body();
    assertThat(body.path("operator").textValue()).isEqualTo("{\"email\":\"apaas@example.com\"}");
    assertThat(body.path("idempotent_key").textValue()).isEqualTo("order-" + flow);
    assertThat(JSON.readTree(PROBE.variable(instance, "flowExecution").orElseThrow()).path("outParams"))
        .isEqualTo(JSON.createObjectNode());
  }

  @Test
  void executeWithBadInputIsAnIncidentNamingEachVariableWithoutACall() {
    String flow = "bad_" + nextId();
    long instance = run("feishu-apaas-flow-execute", Map.of("namespace", "ns", "flowId", flow,
        "operatorEmail", "not an email", "params", List.of(1), "isAsync", "yes"), null);

    assertThat(PROBE.awaitEnding(instance).incident().orElseThrow()).contains("Bad input for feishu-apaas-flow-execute",
        "operatorEmail must be an email address", "params must be an object", "isAsync must be true or false",
        "Nothing was sent to Feishu");
    assertThat(FEISHU.callsFor(flow)).isEmpty();
  }

  @Test
  void executeWithoutAnOperatorIsAnIncidentWithoutACall() {
    String flow = "nobody_" + nextId();
    long instance = run("feishu-apaas-flow-execute", Map.of("namespace", "ns", "flowId", flow), null);

    assertThat(PROBE.awaitEnding(instance).incident().orElseThrow())
        .contains("operatorUserId or operatorEmail is missing");
    assertThat(FEISHU.callsFor(flow)).isEmpty();
  }

  @Test
  void expediteSendsTheOperatorTheUsersAndTheOpinion() {
    String task = nextId();
    long instance = run("feishu-apaas-user-task-expedite", Map.of("userTaskId", task, "operatorUserId", OPERATOR,
        "expeditingUserIds", List.of(1783981209205999L, "1783981209205111"), "opinion", "请尽快处理"), "expedited");

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("Done");
    FeishuSimulator.Call call = FEISHU.callsFor(task).getFirst();
    assertThat(call.path()).isEqualTo("/open-apis/apaas/v1/user_tasks/" + task + "/expediting");
    assertThat(call.body().toString()).isEqualTo("{\"operator_user_id\":\"" + OPERATOR + "\","
        + "\"expediting_user_ids\":[\"1783981209205999\",\"1783981209205111\"],\"opinion\":\"请尽快处理\"}");
    assertThat(PROBE.variable(instance, "expedited").orElseThrow()).contains("\"code\":0");
  }

  @Test
  void rollbackPointsCompleteAsAListAndARollbackGoesToOneOfThem() throws Exception {
    String task = nextId();
    FEISHU.rollbackPoints(task, List.of(JSON.readTree("{\"id\":\"1785996265170999\",\"activity_label\":"
        + "[{\"language_code\":\"zh_cn\",\"text\":\"提交\"}],\"is_start\":true}")));
    long points = run("feishu-apaas-user-task-rollback-points", Map.of("userTaskId", task,
        "operatorUserId", OPERATOR), null);

    assertThat(PROBE.awaitEnding(points).endEvent()).contains("Done");
    JsonNode listed = JSON.readTree(PROBE.variable(points, "rollbackPoints").orElseThrow());
    assertThat(listed).hasSize(1);
    assertThat(listed.get(0).path("is_start").asBoolean()).isTrue();
    String target = listed.get(0).path("id").asText();

    long rollback = run("feishu-apaas-user-task-rollback", Map.of("userTaskId", task, "operatorUserId", OPERATOR,
        "toTaskId", target, "opinion", "材料不全"), null);

    assertThat(PROBE.awaitEnding(rollback).endEvent()).contains("Done");
    assertThat(FEISHU.callsFor(task)).extracting(FeishuSimulator.Call::action)
        .containsExactly("rollback_points", "rollback");
    assertThat(FEISHU.callsFor(task).getLast().body().toString()).isEqualTo("{\"operator_user_id\":\"" + OPERATOR
        + "\",\"to_task_id\":\"1785996265170999\",\"opinion\":\"材料不全\"}");
  }

  @Test
  void ccSendsTheUsersCopiedAndTheOperator() {
    String task = nextId();
    long instance = run("feishu-apaas-user-task-cc", Map.of("userTaskId", task, "operatorUserId", OPERATOR,
        "ccUserIds", List.of("1783981209205999")), null);

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("Done");
    FeishuSimulator.Call call = FEISHU.callsFor(task).getFirst();
    assertThat(call.path()).isEqualTo("/open-apis/apaas/v1/user_tasks/" + task + "/cc");
    assertThat(call.body().toString()).isEqualTo(
        "{\"operator_user_id\":\"" + OPERATOR + "\",\"cc_user_ids\":[\"1783981209205999\"]}");
  }

  @Test
  void chatGroupCompletesWithTheNewChatsIdOrTheOneGiven() {
    String task = nextId();
    long created = run("feishu-apaas-user-task-chat-group", Map.of("userTaskId", task, "operatorUserId", OPERATOR,
        "inviteUserIds", List.of("1783981209205999"), "chatName", "报销讨论"), null);
    long joined = run("feishu-apaas-user-task-chat-group", Map.of("userTaskId", task, "operatorUserId", OPERATOR,
        "chatId", "oc_a0553eda9014c201e6969b478895c230"), "chat");

    assertThat(PROBE.awaitEnding(created).endEvent()).contains("Done");
    assertThat(PROBE.awaitEnding(joined).endEvent()).contains("Done");
    assertThat(PROBE.variable(created, "groupChatId").orElseThrow()).startsWith("\"oc_");
    assertThat(PROBE.variable(joined, "chat")).contains("\"oc_a0553eda9014c201e6969b478895c230\"");
    assertThat(FEISHU.callsFor(task)).extracting(c -> c.body().toString()).contains(
        "{\"operator_user_id\":\"" + OPERATOR + "\",\"invite_user_ids\":[\"1783981209205999\"],\"chat_name\":\"报销讨论\"}");
  }

  static Stream<Arguments> userTaskJobs() {
    return Stream.of(
        Arguments.of("feishu-apaas-user-task-expedite", Map.of("expeditingUserIds", List.of("1"))),
        Arguments.of("feishu-apaas-user-task-rollback", Map.of("toTaskId", "1", "opinion", "退回")),
        Arguments.of("feishu-apaas-user-task-rollback-points", Map.of()),
        Arguments.of("feishu-apaas-user-task-cc", Map.of("ccUserIds", List.of("1"))),
        Arguments.of("feishu-apaas-user-task-chat-group", Map.of()));
  }

  @ParameterizedTest
  @MethodSource("userTaskJobs")
  void feishuBusinessErrorsReachTheErrorBoundaryEvent(String jobType, Map<String, Object> further) {
    String task = nextId();
    FEISHU.script(task, Fault.code(404, 2320004, "user does not exist"));
    Map<String, Object> variables = new HashMap<>(further);
    variables.put("userTaskId", task);
    variables.put("operatorUserId", OPERATOR);
    long instance = run(jobType, variables, null);

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("FeishuErrorCaught");
    assertThat(PROBE.variable(instance, "feishuErrorCode")).contains("2320004");
    assertThat(FEISHU.callsFor(task)).hasSize(1);
  }

  @Test
  void executeBusinessErrorsReachTheErrorBoundaryEvent() {
    String flow = "missing_" + nextId();
    FEISHU.script(flow, Fault.paramInvalid());
    long instance = run("feishu-apaas-flow-execute", Map.of("namespace", "ns", "flowId", flow,
        "operatorUserId", OPERATOR), null);

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("FeishuErrorCaught");
    assertThat(PROBE.variable(instance, "feishuErrorCode")).contains("2320001");
  }

  static Stream<Arguments> badUserTaskInput() {
    return Stream.of(
        Arguments.of("feishu-apaas-user-task-expedite", Map.of("expeditingUserIds",
            java.util.stream.LongStream.range(0, 21).mapToObj(Long::toString).toList()),
            "expeditingUserIds has 21 entries; at most 20"),
        Arguments.of("feishu-apaas-user-task-rollback", Map.of("toTaskId", "1"), "opinion is missing"),
        Arguments.of("feishu-apaas-user-task-rollback-points", Map.of("operatorUserId", "1 2"),
            "operatorUserId may not contain spaces"),
        Arguments.of("feishu-apaas-user-task-cc", Map.of("ccUserIds", List.of()),
            "ccUserIds has 0 entries; at least 1"),
        Arguments.of("feishu-apaas-user-task-chat-group", Map.of("chatName", "群".repeat(257)),
            "chatName is 257 characters long; at most 256"));
  }

  @ParameterizedTest
  @MethodSource("badUserTaskInput")
  void badInputIsAnIncidentNamingTheVariableWithoutACall(String jobType, Map<String, Object> bad, String problem) {
    String task = nextId();
    Map<String, Object> variables = new HashMap<>();
    variables.put("userTaskId", task);
    variables.put("operatorUserId", OPERATOR);
    variables.putAll(bad);
    long instance = run(jobType, variables, null);

    assertThat(PROBE.awaitEnding(instance).incident().orElseThrow())
        .contains("Bad input for " + jobType, problem, "Nothing was sent to Feishu");
    assertThat(FEISHU.callsFor(task)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"feishu-apaas-user-task-cc", "feishu-apaas-user-task-rollback-points"})
  void aMissingTaskIdOrOperatorIsAnIncidentWithoutACall(String jobType) {
    long before = FEISHU.apiCalls();
    long instance = run(jobType, Map.of("ccUserIds", List.of("1")), null);

    assertThat(PROBE.awaitEnding(instance).incident().orElseThrow())
        .contains("userTaskId is missing", "operatorUserId is missing");
    assertThat(FEISHU.apiCalls()).isEqualTo(before);
  }

  private long run(String jobType, Map<String, Object> variables, String resultVariable) {
    String processId = "apaas-" + jobType;
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

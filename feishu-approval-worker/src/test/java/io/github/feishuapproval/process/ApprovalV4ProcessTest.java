package io.github.feishuapproval.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.builder.ServiceTaskBuilder;
import io.github.feishuapproval.testkit.Fault;
import io.github.feishuapproval.testkit.FeishuSimulator;
import io.github.feishuapproval.testkit.SimulatedApprovalV4;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Feishu Approval (审批 v4) through its job types on the embedded engine, against the simulated approval APIs. */
class ApprovalV4ProcessTest extends ProcessTestSupport {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicLong CODES = new AtomicLong();
  private static final String APPROVER = "approver1";
  private static final List<Map<String, Object>> FORM =
      List.of(Map.of("id", "111", "type", "input", "value", "出差 3 天"));

  @Test
  void createSendsTheFormAsJsonTextAndCompletesWithTheInstanceCodeAndTheJobsUuid() throws Exception {
    String approval = definition();
    long instance = run(Map.of("approvalCode", approval, "userId", "initiator1", "form", FORM, "title", "出差"),
        create("Create", null));

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("Done");
    SimulatedApprovalV4.Instance created = FEISHU.approvalV4().instancesOf(approval).getFirst();
    JsonNode result = JSON.readTree(PROBE.variable(instance, "approvalInstance").orElseThrow());
    assertThat(result.path("instanceCode").asText()).isEqualTo(created.code());
    assertThat(result.path("uuid").asText()).isEqualTo(created.uuid()).matches("[0-9]+-[0-9]+");
    FeishuSimulator.Call call = FEISHU.callsFor(approval).getFirst();
    assertThat(call.path()).isEqualTo("/open-apis/approval/v4/instances");
    assertThat(call.body().path("form").isTextual()).isTrue();
    assertThat(JSON.readTree(call.body().path("form").asText()))
        .isEqualTo(JSON.readTree("[{\"id\":\"111\",\"type\":\"input\",\"value\":\"出差 3 天\"}]"));
    assertThat(call.body().path("user_id").asText()).isEqualTo("initiator1");
  }

  @Test
  void aCreationWhoseAnswerIsLostIsRetriedAndCompletesWithTheOneInstanceItMade() throws Exception {
    String approval = definition();
    FEISHU.script(approval, Fault.lostAnswer());
    long instance = run(Map.of("approvalCode", approval, "openId", "ou_initiator1", "form", FORM),
        create("Create", null));

    assertThat(PROBE.awaitJobFailures(instance, 1).getFirst().getRetries()).isEqualTo(2);
    ENGINE.increaseTime(java.time.Duration.ofSeconds(1));
    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("Done");
    List<SimulatedApprovalV4.Instance> made = FEISHU.approvalV4().instancesOf(approval);
    assertThat(made).hasSize(1);
    JsonNode result = JSON.readTree(PROBE.variable(instance, "approvalInstance").orElseThrow());
    assertThat(result.path("instanceCode").asText()).isEqualTo(made.getFirst().code());
    assertThat(FEISHU.calls().stream().map(c -> c.action().startsWith("v4_get") ? "GET " + c.path() : "POST " + c.path()))
        .containsExactly("POST /open-apis/approval/v4/instances", "POST /open-apis/approval/v4/instances",
            "GET /open-apis/approval/v4/instances/" + made.getFirst().uuid());
  }

  @Test
  void anUnknownApprovalCodeIsABpmnErrorWithFeishusCodeAndNoInstance() {
    String approval = "UNKNOWN-" + CODES.incrementAndGet();
    long instance = run(Map.of("approvalCode", approval, "userId", "initiator1", "form", FORM), create("Create", null));

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("FeishuErrorCaught");
    assertThat(PROBE.variable(instance, "feishuErrorCode")).contains("1390002");
    assertThat(FEISHU.approvalV4().instancesOf(approval)).isEmpty();
  }

  @Test
  void badCreationInputIsAnIncidentNamingEachVariableWithoutACall() {
    String approval = definition();
    Map<String, Object> variables = new HashMap<>();
    variables.put("approvalCode", approval);
    variables.put("form", "not json");
    long instance = run(variables, create("Create", null));

    assertThat(PROBE.awaitEnding(instance).incident().orElseThrow()).contains(
        "Bad input for feishu-approval-v4-instance-create",
        "form must be a list of widgets {id, type, value}, or that list as JSON text",
        "exactly one of userId, openId must be given; 0 are", "Nothing was sent to Feishu");
    assertThat(FEISHU.callsFor(approval)).isEmpty();
  }

  @Test
  void getListsThePendingTaskAndApproveOnItApprovesTheInstance() throws Exception {
    String approval = definition();
    long instance = run(Map.of("approvalCode", approval, "userId", "initiator1", "form", FORM),
        create("Create", null), get("Get", "pending"), taskAction("Approve", "feishu-approval-v4-task-approve", APPROVER,
            t -> t.zeebeInputExpression("\"同意\"", "comment")), get("After", null));

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("Done");
    JsonNode pending = JSON.readTree(PROBE.variable(instance, "pending").orElseThrow());
    assertThat(pending.path("status").asText()).isEqualTo("PENDING");
    assertThat(pending.path("tasks").get(0).path("userId").asText()).isEqualTo(APPROVER);
    assertThat(pending.path("tasks").get(0).path("openId").asText()).isEqualTo("ou_" + APPROVER);
    assertThat(pending.path("tasks").get(0).path("nodeName").asText()).isEqualTo("Approve");
    JsonNode after = JSON.readTree(PROBE.variable(instance, "approvalInstanceDetail").orElseThrow());
    assertThat(after.path("status").asText()).isEqualTo("APPROVED");
    FeishuSimulator.Call approve = FEISHU.calls().stream().filter(c -> c.action().equals("v4_approve_task"))
        .filter(c -> c.body().path("approval_code").asText().equals(approval)).findFirst().orElseThrow();
    assertThat(approve.path()).isEqualTo("/open-apis/approval/v4/tasks/approve?user_id_type=user_id");
    assertThat(approve.body().path("comment").asText()).isEqualTo("同意");
  }

  @Test
  void aTaskActedOnByAnotherUserIsABpmnErrorCarryingFeishusCode() {
    String approval = definition();
    long instance = run(Map.of("approvalCode", approval, "userId", "initiator1", "form", FORM),
        create("Create", null), get("Get", null),
        taskAction("Reject", "feishu-approval-v4-task-reject", "someone-else", t -> { }));

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("FeishuErrorCaughtAtStep2");
    assertThat(PROBE.variable(instance, "feishuErrorCode")).contains("1390009");
    assertThat(FEISHU.approvalV4().instancesOf(approval).getFirst().status()).isEqualTo("PENDING");
  }

  @ParameterizedTest
  @CsvSource({
      "feishu-approval-v4-task-reject, /open-apis/approval/v4/tasks/reject?user_id_type=user_id, REJECTED",
      "feishu-approval-v4-task-transfer, /open-apis/approval/v4/tasks/transfer?user_id_type=user_id, PENDING",
      "feishu-approval-v4-task-resubmit, /open-apis/approval/v4/tasks/resubmit?user_id_type=user_id, PENDING",
      "feishu-approval-v4-instance-add-sign, /open-apis/approval/v4/instances/add_sign, PENDING",
      "feishu-approval-v4-instance-rollback, /open-apis/approval/v4/instances/specified_rollback?user_id_type=user_id, PENDING",
      "feishu-approval-v4-instance-cc, /open-apis/approval/v4/instances/cc?user_id_type=user_id, PENDING"
  })
  void everyTaskAndInstanceActionReachesItsPathAndMovesTheInstanceOn(String jobType, String path, String status) {
    String approval = definition();
    long instance = run(Map.of("approvalCode", approval, "userId", "initiator1", "form", FORM),
        create("Create", null), get("Get", null), taskAction("Act", jobType, APPROVER, t -> t
            .zeebeInputExpression("\"approver2\"", "transferUserId")
            .zeebeInputExpression("[{id: \"111\", type: \"input\", value: \"改\"}]", "form")
            .zeebeInputExpression("[\"approver2\"]", "addSignUserIds")
            .zeebeInputExpression("2", "addSignType")
            .zeebeInputExpression("[\"START\"]", "taskDefKeys")
            .zeebeInputExpression("[\"watcher1\"]", "ccUserIds")));

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("Done");
    FeishuSimulator.Call call = FEISHU.calls().stream().filter(c -> c.path().startsWith(path.split("\\?")[0]))
        .filter(c -> c.body().path("task_id").isTextual() || c.body().path("instance_code").isTextual())
        .reduce((first, second) -> second).orElseThrow();
    assertThat(call.path()).isEqualTo(path);
    assertThat(FEISHU.approvalV4().instancesOf(approval).getFirst().status()).isEqualTo(status);
    assertThat(FEISHU.actionsCarriedOut().keySet()).anyMatch(a -> a.startsWith(call.action() + " "));
  }

  @Test
  void cancelByTheInitiatorCancelsTheInstance() {
    String approval = definition();
    long instance = run(Map.of("approvalCode", approval, "userId", "initiator1", "form", FORM),
        create("Create", null), task("Cancel", "feishu-approval-v4-instance-cancel", t -> t
            .zeebeInputExpression("approvalCode", "approvalCode")
            .zeebeInputExpression("approvalInstance.instanceCode", "instanceCode")
            .zeebeInputExpression("\"initiator1\"", "userId")
            .zeebeInputExpression("\"user_id\"", "userIdType")));

    assertThat(PROBE.awaitEnding(instance).endEvent()).contains("Done");
    assertThat(FEISHU.approvalV4().instancesOf(approval).getFirst().status()).isEqualTo("CANCELED");
  }

  private static String definition() {
    String approval = "7C468A54-8745-2245-9675-08B7C63E7A8" + CODES.incrementAndGet();
    FEISHU.approvalV4().definition(approval, APPROVER);
    return approval;
  }

  private static Consumer<ServiceTaskBuilder> create(String id, String resultVariable) {
    return task(id, "feishu-approval-v4-instance-create", t -> {
      if (resultVariable != null) t.zeebeTaskHeader("resultVariable", resultVariable);
    });
  }

  private static Consumer<ServiceTaskBuilder> get(String id, String resultVariable) {
    return task(id, "feishu-approval-v4-instance-get", t -> {
      t.zeebeInputExpression("approvalInstance.instanceCode", "instanceCode")
          .zeebeInputExpression("\"user_id\"", "userIdType");
      if (resultVariable != null) t.zeebeTaskHeader("resultVariable", resultVariable);
    });
  }

  /** An action on the first task the last get listed, as {@code userId}. */
  private static Consumer<ServiceTaskBuilder> taskAction(String id, String jobType, String userId,
      Consumer<ServiceTaskBuilder> more) {
    return task(id, jobType, t -> {
      t.zeebeInputExpression("approvalCode", "approvalCode")
          .zeebeInputExpression("approvalInstance.instanceCode", "instanceCode")
          .zeebeInputExpression("(if pending = null then approvalInstanceDetail else pending).tasks[1].id", "taskId")
          .zeebeInputExpression("\"" + userId + "\"", "userId")
          .zeebeInputExpression("\"user_id\"", "userIdType");
      more.accept(t);
    });
  }

  private static Consumer<ServiceTaskBuilder> task(String id, String jobType, Consumer<ServiceTaskBuilder> more) {
    return t -> {
      t.id(id).zeebeJobType(jobType).zeebeJobRetries("3").zeebeTaskHeader("retryBackoff", "PT0.2S");
      more.accept(t);
    };
  }

  /** The tasks in a row, each with a boundary event catching any Feishu error. */
  @SafeVarargs
  private long run(Map<String, Object> variables, Consumer<ServiceTaskBuilder>... tasks) {
    String processId = "approval-v4-" + CODES.incrementAndGet();
    var builder = Bpmn.createExecutableProcess(processId).startEvent();
    io.camunda.zeebe.model.bpmn.builder.AbstractFlowNodeBuilder<?, ?> at = builder;
    for (int i = 0; i < tasks.length; i++) {
      String name = "Step" + i;
      ServiceTaskBuilder step = at.serviceTask(name);
      tasks[i].accept(step);
      String id = step.getElement().getId();
      at = step.boundaryEvent(name + "Error", b -> b.error()).endEvent(i == 0 ? "FeishuErrorCaught" : "FeishuErrorCaughtAtStep" + i)
          .moveToActivity(id);
    }
    camunda.newDeployResourceCommand().addProcessModel(at.endEvent("Done").done(), processId + ".bpmn").send().join();
    Map<String, Object> all = new HashMap<>(variables);
    all.putIfAbsent("pending", null);
    return start(processId, all);
  }
}

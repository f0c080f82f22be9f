package io.github.feishuapproval.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.feishuapproval.feishu.ExactJson;
import io.github.feishuapproval.feishu.FeishuOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The request each aPaaS flow and user-task job type sends, and the variables it completes with. */
class ApaasOperationsTest {

  private static final ObjectMapper JSON = ExactJson.newMapper();
  private static final JobKeys JOB = new JobKeys(2251799813685300L, 2251799813685311L);

  @Test
  void executeSendsTheOperatorAndParamsAsJsonStringsAndAKeyMadeOfTheJobsKeys() {
    var valid = valid(JobOperations.EXECUTE_FLOW, "{\"namespace\":\"package_a1b2c3__c\",\"flowId\":\"approve_99c0b7\","
        + "\"operatorUserId\":\"1783981209205788\",\"params\":{\"amount\":12345678901234567890,\"who\":\"李\"},"
        + "\"isAsync\":\"true\",\"loopMasks\":[\"m1\"]}");

    assertThat(valid.request().pathParams())
        .isEqualTo(Map.of("namespace", "package_a1b2c3__c", "flow_id", "approve_99c0b7"));
    assertThat(valid.request().body()).containsExactly(
        Map.entry("params", "{\"amount\":12345678901234567890,\"who\":\"李\"}"),
        Map.entry("is_async", true),
        Map.entry("loop_masks", List.of("m1")),
        Map.entry("operator", "{\"_id\":1783981209205788}"),
        Map.entry("idempotent_key", "2251799813685300-2251799813685311"));
  }

  @Test
  void executeTakesTheOperatorByEmailAndAModelersOwnKey() {
    var valid = valid(JobOperations.EXECUTE_FLOW, "{\"namespace\":\"ns\",\"flowId\":\"f\","
        + "\"operatorEmail\":\"apaas@example.com\",\"idempotentKey\":\"order-42\"}");

    assertThat(valid.request().body()).containsEntry("operator", "{\"email\":\"apaas@example.com\"}")
        .containsEntry("idempotent_key", "order-42").doesNotContainKeys("params", "is_async", "loop_masks");
  }

  @Test
  void executeWithoutOperatorOrWithBadInputNamesEveryVariable() {
    assertThat(problems(JobOperations.EXECUTE_FLOW, "{\"namespace\":\"ns\",\"flowId\":\"f\"}")).containsExactly(
        "operatorUserId or operatorEmail is missing: Feishu needs the aPaaS user who starts the flow, by user ID or "
            + "email");
    assertThat(problems(JobOperations.EXECUTE_FLOW, "{\"namespace\":\"a/b\",\"flowId\":\"f\",\"operatorUserId\":\"x\","
        + "\"operatorEmail\":\"nobody\",\"params\":\"{}\",\"isAsync\":1,\"idempotentKey\":\"a b\"}")).containsExactly(
            "namespace may contain only 0-9, A-Z, a-z, '_' and '-'; found '/' at position 2",
            "operatorUserId must be a whole number",
            "operatorEmail must be an email address such as name@example.com",
            "params must be an object (a FEEL context such as {amount: 100}), got a string",
            "isAsync must be true or false, got a number",
            "idempotentKey may contain only 0-9, A-Z, a-z, '_' and '-'; found U+0020 at position 2");
  }

  @Test
  void executeRefusesParamsLongerThanItsBound() {
    String big = "x".repeat(JobOperations.MAX_FLOW_PARAMS_LENGTH);
    assertThat(problems(JobOperations.EXECUTE_FLOW, "{\"namespace\":\"ns\",\"flowId\":\"f\",\"operatorUserId\":1,"
        + "\"params\":{\"text\":\"" + big + "\"}}")).singleElement().asString()
        .startsWith("params is " + (big.length() + 11) + " characters long as JSON; at most 65536");
  }

  @Test
  void userTaskActionsSendTheirListsWithinFeishusBounds() {
    assertThat(valid(JobOperations.EXPEDITE_USER_TASK, "{\"userTaskId\":\"1785996265147395\",\"operatorUserId\":1,"
        + "\"expeditingUserIds\":[2,\"3\"],\"opinion\":\"请尽快\"}").request().body()).containsExactly(
            Map.entry("operator_user_id", "1"), Map.entry("expediting_user_ids", List.of("2", "3")),
            Map.entry("opinion", "请尽快"));
    assertThat(problems(JobOperations.EXPEDITE_USER_TASK, "{\"userTaskId\":\"7\",\"operatorUserId\":1,"
        + "\"expeditingUserIds\":[]}")).containsExactly("expeditingUserIds has 0 entries; at least 1 are needed");
    assertThat(problems(JobOperations.CC_USER_TASK, "{\"userTaskId\":\"7\",\"operatorUserId\":1,"
        + "\"ccUserIds\":[1,2,3,4,5,6,7,8,9,10,11]}")).containsExactly("ccUserIds has 11 entries; at most 10 are allowed");
    assertThat(problems(JobOperations.ROLLBACK_USER_TASK, "{\"userTaskId\":\"7\",\"operatorUserId\":1}"))
        .containsExactly("toTaskId is missing", "opinion is missing");
    assertThat(problems(JobOperations.USER_TASK_CHAT_GROUP, "{\"userTaskId\":\"7\",\"operatorUserId\":1,"
        + "\"chatId\":\"oc_1/2\",\"inviteUserIds\":[]}")).containsExactly(
            "inviteUserIds has 0 entries; at least 1 are needed",
            "chatId may contain only 0-9, A-Z, a-z, '_' and '-'; found '/' at position 5");
  }

  @Test
  void rollbackPointsAndChatGroupCompleteWithWhatFeishuAnswered() throws Exception {
    OutcomeMapping mapping = new OutcomeMapping(Duration.ofMinutes(5), JSON);
    var points = new FeishuOutcome.Success(0, "success", "log-1", JSON.readTree(
        "{\"tasks\":[{\"id\":\"1\",\"activity_label\":[{\"language_code\":\"zh_cn\",\"text\":\"提交\"}],\"is_start\":true}]}"));
    var chat = new FeishuOutcome.Success(0, "success", "log-2", JSON.readTree("{\"chat_id\":\"oc_abc\"}"));

    assertThat(mapping.toCommand(points, JobOperations.USER_TASK_ROLLBACK_POINTS.onSuccess(), headers(Map.of()), 3, 0))
        .isEqualTo(new JobCommand.Complete(Map.of("rollbackPoints", List.of(Map.of("id", "1", "activity_label",
            List.of(Map.of("language_code", "zh_cn", "text", "提交")), "is_start", true)))));
    assertThat(mapping.toCommand(chat, JobOperations.USER_TASK_CHAT_GROUP.onSuccess(), headers(Map.of()), 3, 0))
        .isEqualTo(new JobCommand.Complete(Map.of("groupChatId", "oc_abc")));
  }

  @Test
  void executeCompletesWithTheOutParamsAsAnObjectWhenTheyAreJson() throws Exception {
    OutcomeMapping mapping = new OutcomeMapping(Duration.ofMinutes(5), JSON);
    var request = valid(JobOperations.EXECUTE_FLOW, "{\"namespace\":\"ns\",\"flowId\":\"f\",\"operatorUserId\":1}")
        .request();
    var json = new FeishuOutcome.Success(0, "success", "log-3", JSON.readTree(
        "{\"execution_id\":\"1797\",\"status\":\"end\",\"out_params\":\"{\\\"approved\\\":true}\"}"));
    var text = new FeishuOutcome.Success(0, "success", "log-4", JSON.readTree("{\"out_params\":\"plain\"}"));

    var completed = (JobCommand.Complete) mapping.toCommand(json, JobOperations.EXECUTE_FLOW.onSuccess(),
        headers(Map.of("resultVariable", "started")), 3, 0, request);
    @SuppressWarnings("unchecked")
    var result = (Map<String, Object>) completed.variables().get("started");
    assertThat(result).containsEntry("executionId", "1797").containsEntry("status", "end")
        .containsEntry("outParams", Map.of("approved", true)).containsEntry("idempotentKey", "2251799813685300-2251799813685311")
        .containsEntry("alreadyStarted", false).containsEntry("logId", "log-3");
    var plain = (JobCommand.Complete) mapping.toCommand(text, JobOperations.EXECUTE_FLOW.onSuccess(), headers(Map.of()),
        3, 0, request);
    assertThat(plain.variables().get("flowExecution")).asString().contains("outParams=plain");
  }

  @Test
  void aRepeatedKeyIsABpmnErrorUnlessTheModelerNamedItsCodeAsAlreadyStarted() {
    OutcomeMapping mapping = new OutcomeMapping(Duration.ofMinutes(5), JSON);
    var request = valid(JobOperations.EXECUTE_FLOW, "{\"namespace\":\"ns\",\"flowId\":\"f\",\"operatorUserId\":1}")
        .request();
    var repeat = new FeishuOutcome.BusinessError(2320010, "idempotent key repeated", "log-5");

    assertThat(mapping.toCommand(repeat, JobOperations.EXECUTE_FLOW.onSuccess(), headers(Map.of()), 3, 0, request))
        .isInstanceOf(JobCommand.ThrowBpmnError.class);
    var done = (JobCommand.Complete) mapping.toCommand(repeat, JobOperations.EXECUTE_FLOW.onSuccess(),
        headers(Map.of("alreadyStartedCodes", "1, 2320010")), 3, 0, request);
    assertThat(done.variables().get("flowExecution")).asString()
        .contains("executionId=null", "idempotentKey=2251799813685300-2251799813685311", "alreadyStarted=true", "logId=log-5");
    assertThat(mapping.toCommand(repeat, JobOperations.CC_USER_TASK.onSuccess(),
        headers(Map.of("alreadyStartedCodes", "2320010")), 3, 0, request)).isInstanceOf(JobCommand.ThrowBpmnError.class);
  }

  @Test
  void malformedAlreadyStartedCodesAreAProblem() {
    List<String> problems = new ArrayList<>();
    JobHeaders.read(Map.of("alreadyStartedCodes", "2320010; x"), Duration.ofSeconds(5), Duration.ofMinutes(5),
        problems);

    assertThat(problems).containsExactly("task header alreadyStartedCodes must be Feishu error codes separated by "
        + "commas, such as 2320010,2320011");
  }

  private static JobOperation.Parsed.Valid valid(JobOperation operation, String variables) {
    JobOperation.Parsed parsed = operation.parse(read(variables), JOB);
    assertThat(parsed).isInstanceOf(JobOperation.Parsed.Valid.class);
    return (JobOperation.Parsed.Valid) parsed;
  }

  private static List<String> problems(JobOperation operation, String variables) {
    JobOperation.Parsed parsed = operation.parse(read(variables), JOB);
    assertThat(parsed).isInstanceOf(JobOperation.Parsed.Invalid.class);
    return ((JobOperation.Parsed.Invalid) parsed).problems();
  }

  private static JobHeaders headers(Map<String, String> raw) {
    List<String> problems = new ArrayList<>();
    JobHeaders headers = JobHeaders.read(raw, Duration.ofSeconds(5), Duration.ofMinutes(5), problems);
    assertThat(problems).isEmpty();
    return headers;
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}

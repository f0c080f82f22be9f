package io.github.feishuapproval.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the variables of the Feishu Approval (审批 v4) job types become requests, or named problems. */
class ApprovalV4OperationsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aFormGivenAsAListIsSentAsTheJsonTextFeishuWantsAndTheUuidComesFromTheJob() throws Exception {
    var parsed = ApprovalV4Operations.CREATE_INSTANCE.parse(read("{\"approvalCode\":\"A1\",\"openId\":\"ou_1\","
        + "\"form\":[{\"id\":\"111\",\"type\":\"input\",\"value\":\"x\"}]}"), new JobKeys(2251799813685300L, 2251799813685305L));

    var request = ((JobOperation.Parsed.Valid) parsed).request();
    assertThat(JSON.writeValueAsString(request.body())).isEqualTo("{\"approval_code\":\"A1\",\"open_id\":\"ou_1\","
        + "\"form\":\"[{\\\"id\\\":\\\"111\\\",\\\"type\\\":\\\"input\\\",\\\"value\\\":\\\"x\\\"}]\","
        + "\"uuid\":\"2251799813685300-2251799813685305\"}");
    assertThat(request.query()).isEmpty();
  }

  @Test
  void aFormGivenAsJsonTextAndAUuidOfTheModelerAreTakenAsGiven() throws Exception {
    var parsed = ApprovalV4Operations.CREATE_INSTANCE.parse(read("{\"approvalCode\":\"A1\",\"userId\":\"u1\","
        + "\"form\":\"[{\\\"id\\\":\\\"1\\\",\\\"type\\\":\\\"input\\\"}]\",\"uuid\":\"order-17\"}"), new JobKeys(1, 2));

    var body = ((JobOperation.Parsed.Valid) parsed).request().body();
    assertThat(body.get("form")).isEqualTo("[{\"id\":\"1\",\"type\":\"input\"}]");
    assertThat(body.get("uuid")).isEqualTo("order-17");
  }

  @Test
  void creationProblemsAreEachNamedWithoutACall() throws Exception {
    var parsed = ApprovalV4Operations.CREATE_INSTANCE.parse(read("{\"approvalCode\":\"A1\",\"userId\":\"u1\","
        + "\"openId\":\"ou_1\",\"form\":[{\"id\":\"1\"}],\"uuid\":\"has space\","
        + "\"nodeApproverUserIds\":[{\"key\":\"N1\",\"value\":\"u2\"}]}"), new JobKeys(1, 2));

    assertThat(((JobOperation.Parsed.Invalid) parsed).problems()).containsExactlyInAnyOrder(
        "form [0] needs type as a non-blank string",
        "uuid must be 1 to 64 of 0-9, A-Z, a-z, '_' and '-'",
        "nodeApproverUserIds [0] must be a list, got a string",
        "exactly one of userId, openId must be given; 2 are");
  }

  @Test
  void aFormOfTooManyWidgetsIsRefusedByItsSize() throws Exception {
    var widgets = JSON.createArrayNode();
    for (int i = 0; i < 501; i++) widgets.addObject().put("id", "w" + i).put("type", "input");
    var variables = JSON.createObjectNode().put("approvalCode", "A1").put("userId", "u1");
    variables.set("form", widgets);

    var parsed = ApprovalV4Operations.CREATE_INSTANCE.parse(variables, new JobKeys(1, 2));

    assertThat(((JobOperation.Parsed.Invalid) parsed).problems())
        .containsExactly("form has 501 widgets; at most 500 are allowed");
  }

  @Test
  void taskActionsSendTheIdTypeAsQueryAndTheFourIdsInTheBody() throws Exception {
    var parsed = ApprovalV4Operations.TRANSFER_TASK.parse(read("{\"approvalCode\":\"A1\",\"instanceCode\":\"I-1\","
        + "\"userId\":\"u1\",\"taskId\":7300000000000001,\"transferUserId\":\"u2\",\"comment\":\"请处理\","
        + "\"userIdType\":\"user_id\"}"));

    var request = ((JobOperation.Parsed.Valid) parsed).request();
    assertThat(JSON.writeValueAsString(request.body())).isEqualTo("{\"approval_code\":\"A1\",\"instance_code\":\"I-1\","
        + "\"user_id\":\"u1\",\"task_id\":\"7300000000000001\",\"comment\":\"请处理\",\"transfer_user_id\":\"u2\"}");
    assertThat(request.query()).containsExactly(java.util.Map.entry("user_id_type", "user_id"));
  }

  @Test
  void addSignTypesAreNumbersFeishuKnowsAndTheIdTypeIsOneOfThree() throws Exception {
    var addSign = ApprovalV4Operations.ADD_SIGN.parse(read("{\"approvalCode\":\"A1\",\"instanceCode\":\"I-1\","
        + "\"userId\":\"u1\",\"taskId\":\"7\",\"addSignUserIds\":[\"u2\"],\"addSignType\":\"4\",\"approvalMethod\":2}"));
    var approve = ApprovalV4Operations.APPROVE_TASK.parse(read("{\"approvalCode\":\"A1\",\"instanceCode\":\"I-1\","
        + "\"userId\":\"u1\",\"taskId\":\"7\",\"userIdType\":\"email\"}"));

    assertThat(((JobOperation.Parsed.Invalid) addSign).problems()).containsExactly("addSignType must be one of 1, 2, 3");
    assertThat(((JobOperation.Parsed.Invalid) approve).problems())
        .containsExactly("userIdType must be one of open_id, user_id, union_id");
  }

  @Test
  void everyApprovalV4JobTypeIsServedAndReadsTheTenantKey() {
    assertThat(JobOperations.ALL).containsAll(ApprovalV4Operations.ALL);
    assertThat(ApprovalV4Operations.ALL).allSatisfy(o -> assertThat(o.variableNames()).contains("tenantKey"));
    assertThat(ApprovalV4Operations.ALL.stream().map(JobOperation::jobType).distinct()).hasSize(10);
    assertThat(List.of(ApprovalV4Operations.CREATE_INSTANCE.jobType())).containsExactly("feishu-approval-v4-instance-create");
  }

  private static JsonNode read(String json) throws Exception {
    return JSON.readTree(json);
  }
}

package io.github.feishuapproval.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.feishuapproval.feishu.ExactJson;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JobOperationTest {

  private static final ObjectMapper JSON = ExactJson.newMapper();

  @Test
  void stringsBecomeThePathIdAndBody() {
    var valid = valid("{\"approvalTaskId\":\"1785996265147395\",\"userId\":\"1783981209205788\",\"opinion\":\"拒绝\"}");

    assertThat(valid.request().pathParams()).isEqualTo(Map.of("approval_task_id", "1785996265147395"));
    assertThat(valid.request().body()).containsExactly(
        Map.entry("user_id", "1783981209205788"), Map.entry("opinion", "拒绝"));
  }

  @Test
  void integralNumbersAreSentAsTheirExactDigits() {
    var valid = valid("{\"approvalTaskId\":1785996265147395,\"userId\":1783981209205788}");

    assertThat(valid.request().pathParams().get("approval_task_id")).isEqualTo("1785996265147395");
    assertThat(valid.request().body().get("user_id")).isEqualTo("1783981209205788");
  }

  @Test
  void numbersWrittenInFloatingPointFormAreStillRenderedAsDigits() {
    var valid = valid("{\"approvalTaskId\":\"7\",\"userId\":1.783981209205788E15}");

    assertThat(valid.request().body().get("user_id")).isEqualTo("1783981209205788");
  }

  @Test
  void absentOrNullOpinionIsLeftOutOfTheBody() {
    assertThat(valid("{\"approvalTaskId\":\"7\",\"userId\":\"9\"}").request().body()).doesNotContainKey("opinion");
    assertThat(valid("{\"approvalTaskId\":\"7\",\"userId\":\"9\",\"opinion\":null}").request().body())
        .doesNotContainKey("opinion");
  }

  @Test
  void blankOptionalFieldsAreLeftOutAsIfNotGiven() {
    assertThat(valid("{\"approvalTaskId\":\"7\",\"userId\":\"9\",\"opinion\":\"\"}").request().body())
        .doesNotContainKey("opinion");
    JobOperation.Parsed query = JobOperations.QUERY_USER_TASKS.parse(read("{\"kunlunUserId\":\"9\",\"type\":\"\",\"limit\":\" \"}"));
    assertThat(((JobOperation.Parsed.Valid) query).request().body()).containsOnlyKeys("kunlun_user_id");
  }

  @Test
  void everyProblemIsReportedNamingItsVariable() {
    assertThat(problems("{}")).containsExactly("approvalTaskId is missing", "userId is missing");
    assertThat(problems("{\"approvalTaskId\":\"  \",\"userId\":true}"))
        .containsExactly("approvalTaskId is blank", "userId must be a string or an integer, got a boolean");
  }

  @ParameterizedTest
  @ValueSource(strings = {"../x", "%2e%2e", "a/b", "x?y=1", "x#y", "a b", "任务", "..", "a\\nb"})
  void hostileTaskIdsAreRefused(String id) throws Exception {
    String json = JSON.createObjectNode().put("approvalTaskId", id).put("userId", "1").toString();

    assertThat(problems(json)).singleElement().asString().startsWith("approvalTaskId may contain only");
  }

  @Test
  void veryLongTaskIdIsRefusedWithItsLength() {
    String json = JSON.createObjectNode().put("approvalTaskId", "9".repeat(10_000)).put("userId", "1").toString();

    assertThat(problems(json)).containsExactly("approvalTaskId is 10000 characters long; at most 128 are allowed");
  }

  @Test
  void fractionNegativeListAndObjectAreRefused() {
    assertThat(problems("{\"approvalTaskId\":1.5,\"userId\":-3}")).containsExactly(
        "approvalTaskId must be an integer or a string, got the fraction 1.5", "userId may not be negative");
    assertThat(problems("{\"approvalTaskId\":[1],\"userId\":{\"id\":1}}")).containsExactly(
        "approvalTaskId must be a string or an integer, got a list",
        "userId must be a string or an integer, got an object");
  }

  @Test
  void opinionMustBeTextOfBoundedLength() {
    assertThat(problems("{\"approvalTaskId\":\"1\",\"userId\":\"1\",\"opinion\":42}"))
        .containsExactly("opinion must be a string, got a number");
    String huge = JSON.createObjectNode().put("approvalTaskId", "1").put("userId", "1")
        .put("opinion", "很".repeat(JobOperations.MAX_OPINION_LENGTH + 1)).toString();
    assertThat(problems(huge)).containsExactly("opinion is 4097 characters long; at most 4096 are allowed");
  }

  @Test
  void opinionKeepsNewlinesForFeishuButErrorsNeverEchoValues() {
    var valid = valid("{\"approvalTaskId\":\"1\",\"userId\":\"1\",\"opinion\":\"line one\\nline two\"}");
    assertThat(valid.request().body().get("opinion")).isEqualTo("line one\nline two");

    assertThat(problems("{\"approvalTaskId\":\"x\\n2026-01-01 INFO forged\",\"userId\":\"1\"}"))
        .singleElement().asString().doesNotContain("forged").contains("U+000A");
  }

  @Test
  void theTenantKeyNamesTheTenantAndGoesNeitherIntoThePathNorTheBody() {
    var valid = valid("{\"approvalTaskId\":\"7\",\"userId\":\"9\",\"tenantKey\":\"736588c9260f175d\"}");

    assertThat(valid.request().tenantKey()).contains("736588c9260f175d");
    assertThat(valid.request().body()).containsOnlyKeys("user_id");
    assertThat(valid("{\"approvalTaskId\":\"7\",\"userId\":\"9\"}").request().tenantKey()).isEmpty();
  }

  @Test
  void aMalformedTenantKeyIsRefusedLikeAnyOtherId() {
    assertThat(problems("{\"approvalTaskId\":\"7\",\"userId\":\"9\",\"tenantKey\":\"a/../b\"}"))
        .containsExactly("tenantKey may contain only 0-9, A-Z, a-z, '_' and '-'; found '/' at position 2");
    assertThat(problems("{\"approvalTaskId\":\"7\",\"userId\":\"9\",\"tenantKey\":42.5}"))
        .containsExactly("tenantKey must be an integer or a string, got the fraction 42.5");
  }

  @Test
  void everyOperationOpenToStoreAppsReadsTheTenantKeyAndNoOtherDoes() {
    assertThat(JobOperations.ALL).allSatisfy(operation -> assertThat(operation.variableNames().contains("tenantKey"))
        .as(operation.jobType()).isEqualTo(operation.storeApps()));
  }

  private static JobOperation.Parsed.Valid valid(String variables) {
    JobOperation.Parsed parsed = JobOperations.REJECT.parse(read(variables));
    assertThat(parsed).isInstanceOf(JobOperation.Parsed.Valid.class);
    return (JobOperation.Parsed.Valid) parsed;
  }

  private static java.util.List<String> problems(String variables) {
    JobOperation.Parsed parsed = JobOperations.REJECT.parse(read(variables));
    assertThat(parsed).isInstanceOf(JobOperation.Parsed.Invalid.class);
    return ((JobOperation.Parsed.Invalid) parsed).problems();
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}

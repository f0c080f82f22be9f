package io.github.feishuapproval.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulator's aPaaS flow and user-task endpoints refuse what their pages call invalid, as Feishu does. */
class SimulatedApaasTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String EXECUTE = "/open-apis/apaas/v1/applications/ns/flows/flow_1/execute";
  private final FeishuSimulator feishu = new FeishuSimulator().start();
  private final HttpClient http = HttpClient.newHttpClient();
  private String token;

  @BeforeEach
  void fetchToken() throws Exception {
    token = post(FeishuSimulator.TOKEN_PATH, "{\"app_id\":\"" + FeishuSimulator.APP_ID + "\",\"app_secret\":\""
        + FeishuSimulator.APP_SECRET + "\"}").path("tenant_access_token").asText();
  }

  @AfterEach
  void close() {
    feishu.close();
    http.close();
  }

  @Test
  void executeNeedsTheOperatorAsAJsonStringNamingAUser() throws Exception {
    assertThat(post(EXECUTE, "{}").path("code").asInt()).isEqualTo(2320001);
    assertThat(post(EXECUTE, "{\"operator\":{\"_id\":1}}").path("code").asInt()).isEqualTo(2320001);
    assertThat(post(EXECUTE, "{\"operator\":\"{}\"}").path("code").asInt()).isEqualTo(2320001);
    assertThat(post(EXECUTE, "{\"operator\":\"{\\\"_id\\\":1}\",\"params\":\"not json\"}").path("code").asInt())
        .isEqualTo(2320001);
    JsonNode started = post(EXECUTE, "{\"operator\":\"{\\\"email\\\":\\\"a@b.c\\\"}\",\"is_async\":true}");
    assertThat(started.path("code").asInt()).isZero();
    assertThat(started.path("data").path("status").asText()).isEqualTo("running");
    assertThat(started.path("data").path("out_params").isTextual()).isTrue();
  }

  @Test
  void aRepeatedIdempotencyKeyFailsWithTheSimulatorsOwnCodeAndStartsNothing() throws Exception {
    String body = "{\"operator\":\"{\\\"_id\\\":1}\",\"idempotent_key\":\"k-1\"}";
    assertThat(post(EXECUTE, body).path("code").asInt()).isZero();

    JsonNode repeat = post(EXECUTE, body);

    assertThat(repeat.path("code").asInt()).isEqualTo(FeishuSimulator.SIMULATED_REPEATED_KEY_CODE);
    assertThat(repeat.path("msg").asText()).contains("simulator");
    assertThat(feishu.actionsCarriedOut()).containsEntry("flow_execute flow_1", 1);
  }

  @Test
  void userTaskActionsCheckTheirRequiredFieldsAndListBounds() throws Exception {
    String task = "/open-apis/apaas/v1/user_tasks/1785996265147777/";
    assertThat(post(task + "cc", "{\"cc_user_ids\":[\"1\"]}").path("code").asInt()).isEqualTo(2320001);
    assertThat(post(task + "cc", "{\"operator_user_id\":\"1\",\"cc_user_ids\":"
        + JSON.writeValueAsString(java.util.Collections.nCopies(11, "2")) + "}").path("code").asInt()).isEqualTo(2320001);
    assertThat(post(task + "expediting", "{\"operator_user_id\":\"1\",\"expediting_user_ids\":[]}").path("code").asInt())
        .isEqualTo(2320001);
    assertThat(post(task + "rollback", "{\"operator_user_id\":\"1\",\"to_task_id\":\"9\"}").path("code").asInt())
        .isEqualTo(2320001);
    assertThat(post(task + "chat_group", "{\"operator_user_id\":\"1\",\"chat_id\":\"oc_x\"}").path("data")
        .path("chat_id").asText()).isEqualTo("oc_x");
  }

  @Test
  void aRollbackGoesOnlyToOneOfTheTasksRollbackPoints() throws Exception {
    String task = "/open-apis/apaas/v1/user_tasks/1785996265147778/";
    feishu.rollbackPoints("1785996265147778", List.of(JSON.readTree("{\"id\":\"5\",\"is_start\":true}")));

    assertThat(post(task + "rollback_points", "{\"operator_user_id\":\"1\"}").path("data").path("tasks").get(0)
        .path("id").asText()).isEqualTo("5");
    assertThat(post(task + "rollback", "{\"operator_user_id\":\"1\",\"to_task_id\":\"6\",\"opinion\":\"x\"}")
        .path("code").asInt()).isEqualTo(2320001);
    assertThat(post(task + "rollback", "{\"operator_user_id\":\"1\",\"to_task_id\":\"5\",\"opinion\":\"x\"}")
        .path("code").asInt()).isZero();
  }

  private JsonNode post(String path, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(feishu.baseUrl() + path))
        .header("Content-Type", "application/json; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) request.header("Authorization", "Bearer " + token);
    return JSON.readTree(http.send(request.build(), HttpResponse.BodyHandlers.ofString()).body());
  }
}

package io.github.feishuapproval.feishu;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Feishu Approval (审批 v4) on the wire: a GET with its query, and a creation that happens once per uuid. */
class ApprovalV4ClientTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WITHIN = Duration.ofSeconds(20);

  private final MockWebServer server = new MockWebServer();
  private FeishuClient client;

  @BeforeEach
  void start() throws Exception {
    server.start(java.net.InetAddress.getLoopbackAddress(), 0);
    URI base = URI.create("http://127.0.0.1:" + server.getPort());
    client = new FeishuClient(new FeishuSettings(base, "cli_test", "secret-of-the-test", Duration.ofSeconds(1),
        Duration.ofSeconds(2), Duration.ofSeconds(3), 64, Duration.ofSeconds(3), 0, Duration.ofMinutes(1),
        Duration.ZERO, Duration.ofSeconds(5)), JSON, java.time.Clock.systemUTC());
    server.enqueue(feishu(200, "{\"code\":0,\"msg\":\"ok\",\"tenant_access_token\":\"t-1\",\"expire\":7200}"));
  }

  @AfterEach
  void stop() throws java.io.IOException {
    client.close();
    server.close();
  }

  @Test
  void getInstanceIsAGetWithTheCodeInThePathTheIdTypeInTheQueryAndNoBody() throws Exception {
    server.enqueue(feishu(200, "{\"code\":0,\"msg\":\"success\",\"data\":{\"status\":\"PENDING\"}}"));

    FeishuOutcome outcome = client.call(new ApiRequest(FeishuOperation.V4_GET_INSTANCE,
        Map.of("instance_id", "81D31358-93AF-92D6-7425-01A5D67C4E71"), Map.of(), Optional.empty(),
        Map.of("user_id_type", "user_id"))).join();

    assertThat(outcome).isInstanceOf(FeishuOutcome.Success.class);
    server.takeRequest();
    RecordedRequest get = server.takeRequest();
    assertThat(get.getMethod()).isEqualTo("GET");
    assertThat(get.getPath())
        .isEqualTo("/open-apis/approval/v4/instances/81D31358-93AF-92D6-7425-01A5D67C4E71?user_id_type=user_id");
    assertThat(get.getBodySize()).isZero();
    assertThat(get.getHeaders().get("Authorization")).isEqualTo("Bearer t-1");
  }

  @Test
  void aFirstCreationAnswersTheNewCodeWithTheUuid() throws Exception {
    server.enqueue(feishu(200, "{\"code\":0,\"msg\":\"success\",\"data\":{\"instance_code\":\"NEW-CODE\"}}"));

    FeishuOutcome outcome = ApprovalInstanceCreation.create(client, create("42-43"), WITHIN).join();

    assertThat(outcome).isInstanceOfSatisfying(FeishuOutcome.Success.class, s ->
        assertThat(s.data().toString()).isEqualTo("{\"instance_code\":\"NEW-CODE\",\"uuid\":\"42-43\"}"));
    server.takeRequest();
    RecordedRequest post = server.takeRequest();
    assertThat(post.getPath()).isEqualTo("/open-apis/approval/v4/instances");
    assertThat(post.getBody().snapshot().utf8()).isEqualTo(
        "{\"approval_code\":\"A1\",\"user_id\":\"u1\",\"form\":\"[]\",\"uuid\":\"42-43\"}");
  }

  @Test
  void aRepeatedUuidIsLookedUpByThatUuidAndCountsAsCreatedWithTheExistingCode() throws Exception {
    server.enqueue(feishu(400, "{\"code\":60012,\"msg\":\"uuid conflict\"}"));
    server.enqueue(feishu(200, "{\"code\":0,\"msg\":\"success\",\"data\":{\"instance_code\":\"OLD-CODE\","
        + "\"uuid\":\"42-43\",\"status\":\"PENDING\"}}"));

    FeishuOutcome outcome = ApprovalInstanceCreation.create(client, create("42-43"), WITHIN).join();

    assertThat(outcome).isInstanceOfSatisfying(FeishuOutcome.Success.class, s ->
        assertThat(s.data().toString()).isEqualTo("{\"instance_code\":\"OLD-CODE\",\"uuid\":\"42-43\"}"));
    server.takeRequest();
    server.takeRequest();
    RecordedRequest lookUp = server.takeRequest();
    assertThat(lookUp.getMethod()).isEqualTo("GET");
    assertThat(lookUp.getPath()).isEqualTo("/open-apis/approval/v4/instances/42-43");
  }

  @Test
  void aRefusalWithoutAnInstanceOfThatUuidStandsAsFeishuGaveIt() {
    server.enqueue(feishu(400, "{\"code\":1390002,\"msg\":\"approval code not found\"}"));
    server.enqueue(feishu(400, "{\"code\":1390003,\"msg\":\"instance code not found\"}"));

    FeishuOutcome outcome = ApprovalInstanceCreation.create(client, create("42-44"), WITHIN).join();

    assertThat(outcome).isInstanceOfSatisfying(FeishuOutcome.BusinessError.class, e ->
        assertThat(e.code()).isEqualTo(1390002));
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void approvalServerErrorIsTransient() {
    server.enqueue(feishu(200, "{\"code\":1395001,\"msg\":\"server error\"}"));

    FeishuOutcome outcome = client.call(new ApiRequest(FeishuOperation.V4_APPROVE_TASK, Map.of(), Map.of())).join();

    assertThat(outcome).isInstanceOf(FeishuOutcome.Transient.class);
  }

  private static ApiRequest create(String uuid) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("approval_code", "A1");
    body.put("user_id", "u1");
    body.put("form", "[]");
    body.put("uuid", uuid);
    return new ApiRequest(FeishuOperation.V4_CREATE_INSTANCE, Map.of(), body);
  }

  private static MockResponse feishu(int status, String body) {
    return new MockResponse().setResponseCode(status).addHeader("X-Tt-Logid", "log-v4")
        .addHeader("Content-Type", "application/json; charset=utf-8").setBody(body);
  }
}

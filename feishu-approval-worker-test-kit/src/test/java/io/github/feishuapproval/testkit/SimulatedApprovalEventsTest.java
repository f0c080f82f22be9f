package io.github.feishuapproval.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.feishuapproval.feishu.EventSubscription;
import io.github.feishuapproval.feishu.EventVerdict;
import io.github.feishuapproval.feishu.EventVerifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulator subscribes apps to approval definitions and pushes their events, signed, until answered 200. */
class SimulatedApprovalEventsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "vt-approval-events-4c1e";
  private static final String KEY = "ek-approval-events-9d2a";
  private final FeishuSimulator feishu = new FeishuSimulator().start();
  private final MockWebServer worker = new MockWebServer();
  private final HttpClient http = HttpClient.newHttpClient();
  private final Queue<Integer> answers = new ConcurrentLinkedQueue<>();
  private String token;

  @BeforeEach
  void start() throws Exception {
    worker.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        Integer status = answers.poll();
        return new MockResponse().setResponseCode(status == null ? 200 : status).setBody("{}");
      }
    });
    worker.start();
    feishu.approvalEvents().target(FeishuSimulator.APP_ID, new SimulatedApprovalEvents.Target(
        URI.create(worker.url("/feishu/events/default").toString()), TOKEN, Optional.of(KEY)));
    feishu.approvalEvents().retryDelays(Duration.ofMillis(50), Duration.ofMillis(50));
    token = post(FeishuSimulator.TOKEN_PATH, "{\"app_id\":\"" + FeishuSimulator.APP_ID + "\",\"app_secret\":\""
        + FeishuSimulator.APP_SECRET + "\"}").path("tenant_access_token").asText();
  }

  @AfterEach
  void close() throws Exception {
    feishu.close();
    worker.shutdown();
    http.close();
  }

  @Test
  void aSecondSubscriptionOfTheSameDefinitionIsAnsweredSubscriptionExisted() throws Exception {
    String path = "/open-apis/approval/v4/approvals/AC-SUB/subscribe";

    assertThat(post(path, "").path("code").asInt()).isZero();
    assertThat(post(path, "").path("code").asInt()).isEqualTo(SimulatedApprovalV4.SUBSCRIPTION_EXISTED);
    assertThat(feishu.approvalEvents().subscribed(FeishuSimulator.APP_ID, "AC-SUB")).isTrue();
  }

  @Test
  void anApprovalOfASubscribedDefinitionPushesTheTaskThenTheInstanceEventSignedAndRetriedUntil200() throws Exception {
    feishu.approvalV4().definition("AC-1", "approver1");
    post("/open-apis/approval/v4/approvals/AC-1/subscribe", "");
    String code = post("/open-apis/approval/v4/instances?user_id_type=user_id", "{\"approval_code\":\"AC-1\","
        + "\"user_id\":\"u0\",\"form\":\"[]\",\"uuid\":\"create-1\"}").path("data").path("instance_code").asText();
    assertThat(feishu.approvalEvents().awaitSettled(Duration.ofSeconds(5))).isTrue();
    answers.add(503);
    String task = feishu.approvalV4().instance(code).orElseThrow().tasks().getFirst().id();
    post("/open-apis/approval/v4/tasks/approve?user_id_type=user_id", "{\"approval_code\":\"AC-1\",\"instance_code\":\""
        + code + "\",\"user_id\":\"approver1\",\"task_id\":\"" + task + "\"}");
    assertThat(feishu.approvalEvents().awaitSettled(Duration.ofSeconds(5))).isTrue();

    List<SimulatedApprovalEvents.Delivery> deliveries = feishu.approvalEvents().deliveries();
    assertThat(deliveries).extracting(d -> d.eventType() + " " + d.status()).containsExactly(
        "approval_task PENDING", "approval_instance PENDING", "approval_task APPROVED", "approval_instance APPROVED");
    assertThat(deliveries.get(2).answers()).containsExactly(503, 200);
    assertThat(deliveries).allSatisfy(d -> assertThat(d.acknowledged()).isTrue());
    EventVerifier verifier = new EventVerifier(Clock.systemUTC());
    EventSubscription subscription = new EventSubscription(FeishuSimulator.APP_ID, TOKEN, Optional.of(KEY));
    List<EventVerdict> verdicts = new java.util.ArrayList<>();
    for (int i = 0; i < worker.getRequestCount(); i++) {
      RecordedRequest request = worker.takeRequest(1, TimeUnit.SECONDS);
      Map<String, String> headers = new HashMap<>();
      request.getHeaders().forEach(h -> headers.put(h.getFirst(), h.getSecond()));
      verdicts.add(verifier.verify(subscription, request.getBody().readByteArray(), headers));
    }
    assertThat(verdicts).hasSize(5).allSatisfy(v -> assertThat(v).isInstanceOf(EventVerdict.ApprovalEvent.class));
    assertThat(verdicts.getLast()).isInstanceOfSatisfying(EventVerdict.ApprovalEvent.class, event -> {
      assertThat(event.instanceCode()).isEqualTo(code);
      assertThat(event.uuid()).isEqualTo("create-1");
      assertThat(event.status()).isEqualTo("APPROVED");
    });
  }

  @Test
  void aDefinitionNoAppSubscribedToPushesNothing() throws Exception {
    feishu.approvalV4().definition("AC-2", "approver1");
    post("/open-apis/approval/v4/instances?user_id_type=user_id", "{\"approval_code\":\"AC-2\",\"user_id\":\"u0\","
        + "\"form\":\"[]\"}");

    assertThat(feishu.approvalEvents().deliveries()).isEmpty();
  }

  private JsonNode post(String path, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(feishu.baseUrl() + path))
        .header("Content-Type", "application/json; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) request.header("Authorization", "Bearer " + token);
    return JSON.readTree(http.send(request.build(), HttpResponse.BodyHandlers.ofString()).body());
  }
}

package io.github.feishuapproval.feishu;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Subscribing to Approval definitions at start: in the background, 1390007 counting as done, failures retried. */
class ApprovalSubscriptionsTest {

  private final MockWebServer server = new MockWebServer();
  private FeishuClient client;
  private ApprovalSubscriptions subscriptions;

  @BeforeEach
  void start() throws Exception {
    server.start(java.net.InetAddress.getLoopbackAddress(), 0);
    client = new FeishuClient(new FeishuSettings(URI.create("http://127.0.0.1:" + server.getPort()), "cli_test",
        "secret-of-the-test", Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3), 64,
        Duration.ofSeconds(3), 0, Duration.ofMinutes(1), Duration.ZERO, Duration.ofSeconds(5)), new ObjectMapper(),
        java.time.Clock.systemUTC());
    server.enqueue(feishu(200, "{\"code\":0,\"msg\":\"ok\",\"tenant_access_token\":\"t-1\",\"expire\":7200}"));
  }

  @AfterEach
  void stop() throws Exception {
    if (subscriptions != null) subscriptions.close();
    client.close();
    server.close();
  }

  @Test
  void aSubscriptionFeishuAlreadyHasCountsAsDoneAndAFailedOneIsTriedAgain() throws Exception {
    server.enqueue(feishu(400, "{\"code\":1390007,\"msg\":\"subscription existed\",\"data\":{}}"));
    server.enqueue(feishu(500, "{\"code\":1395001,\"msg\":\"server error\"}"));
    server.enqueue(feishu(200, "{\"code\":0,\"msg\":\"success\",\"data\":{}}"));
    subscriptions = new ApprovalSubscriptions(Map.of("hr", client), Map.of("hr", List.of("AC-1", "AC-2")),
        Duration.ofMillis(50), Duration.ofMillis(100));

    subscriptions.start();

    server.takeRequest(5, TimeUnit.SECONDS);
    RecordedRequest first = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(first.getMethod()).isEqualTo("POST");
    assertThat(first.getPath()).isEqualTo("/open-apis/approval/v4/approvals/AC-1/subscribe");
    assertThat(server.takeRequest(5, TimeUnit.SECONDS).getPath())
        .isEqualTo("/open-apis/approval/v4/approvals/AC-2/subscribe");
    assertThat(server.takeRequest(5, TimeUnit.SECONDS).getPath())
        .isEqualTo("/open-apis/approval/v4/approvals/AC-2/subscribe");
    for (int waited = 0; !subscriptions.subscribed("hr", "AC-2") && waited < 100; waited++) Thread.sleep(50);
    assertThat(subscriptions.subscribed("hr", "AC-1")).isTrue();
    assertThat(subscriptions.subscribed("hr", "AC-2")).isTrue();
  }

  private static MockResponse feishu(int status, String body) {
    return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json").setBody(body);
  }
}

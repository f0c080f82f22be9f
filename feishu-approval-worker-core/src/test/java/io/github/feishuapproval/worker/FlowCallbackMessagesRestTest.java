package io.github.feishuapproval.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camunda.client.CamundaClient;
import io.github.feishuapproval.feishu.FlowCallback;
import io.github.feishuapproval.feishu.LocalSeenEvents;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A flow's decision over Camunda's REST transport: a stand-in for the gateway's {@code POST /v2/messages/publication}
 * answers as Camunda documents it, and the recorded requests show what was published.
 */
class FlowCallbackMessagesRestTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final FlowCallback DECISION = new FlowCallback("feishu-apaas-decision", "exec-7", "exec-7/task-1",
      "{\"decision\":\"agree\",\"userId\":1783981209205788123}", null);

  private final MockWebServer gateway = new MockWebServer();
  private CamundaClient camunda;
  private FlowCallbackMessages messages;

  @BeforeEach
  void start() throws IOException {
    gateway.start();
    camunda = CamundaClient.newClientBuilder().restAddress(URI.create(gateway.url("/").toString()))
        .preferRestOverGrpc(true).build();
    messages = new FlowCallbackMessages(camunda, new LocalSeenEvents(Clock.systemUTC(), 100), Duration.ofHours(1),
        Duration.ofHours(24), Duration.ofSeconds(5), Duration.ofSeconds(1));
  }

  @AfterEach
  void stop() throws IOException {
    camunda.close();
    gateway.shutdown();
  }

  @Test
  void aDecisionIsPublishedOnceWithItsMessageIdTimeToLiveAndExactVariables() throws Exception {
    gateway.enqueue(published());

    assertThat(messages.deliver("flows", DECISION)).isEqualTo(new CallbackDelivery.Published(2251799813685249L));
    assertThat(messages.deliver("flows", DECISION)).isEqualTo(new CallbackDelivery.AlreadyPublished());

    RecordedRequest request = gateway.takeRequest(1, TimeUnit.SECONDS);
    assertThat(request.getPath()).isEqualTo("/v2/messages/publication");
    JsonNode body = JSON.readTree(request.getBody().readUtf8());
    assertThat(body.path("name").asText()).isEqualTo("feishu-apaas-decision");
    assertThat(body.path("correlationKey").asText()).isEqualTo("exec-7");
    assertThat(body.path("messageId").asText()).isEqualTo("exec-7/task-1");
    assertThat(body.path("timeToLive").asLong()).isEqualTo(Duration.ofHours(1).toMillis());
    assertThat(body.path("variables").path("userId").toString()).isEqualTo("1783981209205788123");
    assertThat(gateway.getRequestCount()).isEqualTo(1);
  }

  @Test
  void aDecisionForATenantGoesToThatTenantAndCountsApartFromTheSameIdElsewhere() throws Exception {
    gateway.enqueue(published());
    gateway.enqueue(published());
    FlowCallback forTenant = new FlowCallback(DECISION.messageName(), DECISION.correlationKey(), DECISION.messageId(),
        DECISION.variablesJson(), "tenant-a");

    assertThat(messages.deliver("flows", forTenant)).isInstanceOf(CallbackDelivery.Published.class);
    assertThat(messages.deliver("flows", DECISION)).isInstanceOf(CallbackDelivery.Published.class);

    assertThat(JSON.readTree(gateway.takeRequest(1, TimeUnit.SECONDS).getBody().readUtf8()).path("tenantId").asText())
        .isEqualTo("tenant-a");
    // no tenant named: the gateway's default tenant
    assertThat(JSON.readTree(gateway.takeRequest(1, TimeUnit.SECONDS).getBody().readUtf8()).path("tenantId").asText())
        .isIn("", "<default>");
  }

  @Test
  void aGatewayThatCannotTakeTheMessageLeavesItUndeliveredAndTheRetryPublishes() {
    AtomicBoolean available = new AtomicBoolean(false);
    gateway.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return available.get() ? published() : new MockResponse().setResponseCode(503)
            .setHeader("Content-Type", "application/problem+json")
            .setBody("{\"type\":\"about:blank\",\"title\":\"UNAVAILABLE\",\"status\":503}");
      }
    });

    assertThat(messages.deliver("flows", DECISION)).isInstanceOf(CallbackDelivery.NotDelivered.class);
    int refused = gateway.getRequestCount();
    available.set(true);
    assertThat(messages.deliver("flows", DECISION)).isInstanceOf(CallbackDelivery.Published.class);
    assertThat(messages.deliver("flows", DECISION)).isEqualTo(new CallbackDelivery.AlreadyPublished());
    assertThat(gateway.getRequestCount()).isEqualTo(refused + 1);
  }

  @Test
  void aMessageIdCamundaStillBuffersCountsAsPublished() {
    gateway.enqueue(new MockResponse().setResponseCode(409).setHeader("Content-Type", "application/problem+json")
        .setBody("{\"type\":\"about:blank\",\"title\":\"ALREADY_EXISTS\",\"status\":409,\"detail\":\"the message "
            + "id is already published\"}"));

    assertThat(messages.deliver("flows", DECISION)).isEqualTo(new CallbackDelivery.AlreadyPublished());
    assertThat(messages.deliver("flows", DECISION)).isEqualTo(new CallbackDelivery.AlreadyPublished());
    assertThat(gateway.getRequestCount()).isEqualTo(1);
  }

  private static MockResponse published() {
    return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
        .setBody("{\"tenantId\":\"<default>\",\"messageKey\":\"2251799813685249\"}");
  }
}

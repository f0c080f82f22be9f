package io.github.feishuapproval.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camunda.client.CamundaClient;
import io.github.feishuapproval.feishu.EventVerdict.ApprovalEvent;
import io.github.feishuapproval.feishu.LocalSeenEvents;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Approval events published over Camunda's REST transport to a stand-in gateway, read back from the requests. */
class ApprovalEventMessagesTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ApprovalEvent APPROVED = new ApprovalEvent("ev-1", ApprovalEvent.INSTANCE, "cli_a", "tk",
      "AC-1", "IC-1", "APPROVED", "create-7", "1716174311566", "", "", "");
  private static final ApprovalEvent TASK_WITHOUT_UUID = new ApprovalEvent("ev-2", ApprovalEvent.TASK, "cli_a", "tk",
      "AC-1", "IC-1", "PENDING", "", "1716174311566", "7301", "u1", "ou_u1");

  private final MockWebServer gateway = new MockWebServer();
  private CamundaClient camunda;
  private ApprovalEventMessages messages;

  @BeforeEach
  void start() throws IOException {
    gateway.start();
    camunda = CamundaClient.newClientBuilder().restAddress(URI.create(gateway.url("/").toString()))
        .preferRestOverGrpc(true).build();
    messages = messages(Set.of());
  }

  @AfterEach
  void stop() throws IOException {
    camunda.close();
    gateway.shutdown();
  }

  @Test
  void anInstanceEventIsPublishedOnceKeyedByItsCreationUuidWithTheEventIdAsMessageId() throws Exception {
    gateway.enqueue(published());

    assertThat(messages.deliver("hr", "tenant-a", APPROVED)).isInstanceOf(CallbackDelivery.Published.class);
    assertThat(messages.deliver("hr", "tenant-a", APPROVED)).isEqualTo(new CallbackDelivery.AlreadyPublished());

    JsonNode body = body(gateway.takeRequest(1, TimeUnit.SECONDS));
    assertThat(body.path("name").asText()).isEqualTo("feishu-approval-instance");
    assertThat(body.path("correlationKey").asText()).isEqualTo("create-7");
    assertThat(body.path("messageId").asText()).isEqualTo("ev-1");
    assertThat(body.path("tenantId").asText()).isEqualTo("tenant-a");
    JsonNode variables = body.path("variables");
    assertThat(variables.path("status").asText()).isEqualTo("APPROVED");
    assertThat(variables.path("instanceCode").asText()).isEqualTo("IC-1");
    assertThat(variables.path("approvalCode").asText()).isEqualTo("AC-1");
    assertThat(variables.path("uuid").asText()).isEqualTo("create-7");
    assertThat(variables.path("operateTime").asText()).isEqualTo("1716174311566");
    assertThat(variables.path("eventType").asText()).isEqualTo("approval_instance");
    assertThat(variables.has("taskId")).isFalse();
    assertThat(gateway.getRequestCount()).isEqualTo(1);
  }

  @Test
  void aTaskEventWithoutCreationUuidIsKeyedByItsInstanceCodeAndCarriesTheTaskAndItsUser() throws Exception {
    gateway.enqueue(published());

    assertThat(messages.deliver("hr", null, TASK_WITHOUT_UUID)).isInstanceOf(CallbackDelivery.Published.class);

    JsonNode body = body(gateway.takeRequest(1, TimeUnit.SECONDS));
    assertThat(body.path("name").asText()).isEqualTo("feishu-approval-task");
    assertThat(body.path("correlationKey").asText()).isEqualTo("IC-1");
    assertThat(body.path("variables").path("taskId").asText()).isEqualTo("7301");
    assertThat(body.path("variables").path("userId").asText()).isEqualTo("u1");
    assertThat(body.path("variables").path("openId").asText()).isEqualTo("ou_u1");
  }

  @Test
  void onlyAStoreAppsEventTellsTheProcessItsCustomerTenantSinceASelfBuiltAppsJobsRefuseATenantKey() throws Exception {
    ApprovalEventMessages withStoreApp = messages(Set.of("isv"));
    gateway.enqueue(published());
    gateway.enqueue(published());

    assertThat(withStoreApp.deliver("hr", null, APPROVED)).isInstanceOf(CallbackDelivery.Published.class);
    assertThat(withStoreApp.deliver("isv", null, TASK_WITHOUT_UUID)).isInstanceOf(CallbackDelivery.Published.class);

    assertThat(body(gateway.takeRequest(1, TimeUnit.SECONDS)).path("variables").has("tenantKey")).isFalse();
    assertThat(body(gateway.takeRequest(1, TimeUnit.SECONDS)).path("variables").path("tenantKey").asText())
        .isEqualTo("tk");
  }

  @Test
  void anEventCamundaDidNotTakeIsNotRememberedAndItsRetryPublishes() {
    AtomicBoolean available = new AtomicBoolean(false);
    gateway.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return available.get() ? published() : new MockResponse().setResponseCode(503)
            .setHeader("Content-Type", "application/problem+json")
            .setBody("{\"type\":\"about:blank\",\"title\":\"UNAVAILABLE\",\"status\":503}");
      }
    });

    assertThat(messages.deliver("hr", null, APPROVED)).isInstanceOf(CallbackDelivery.NotDelivered.class);
    int refused = gateway.getRequestCount();
    available.set(true);
    assertThat(messages.deliver("hr", null, APPROVED)).isInstanceOf(CallbackDelivery.Published.class);
    assertThat(messages.deliver("hr", null, APPROVED)).isEqualTo(new CallbackDelivery.AlreadyPublished());
    assertThat(gateway.getRequestCount()).isEqualTo(refused + 1);
  }

  /** Publishing through the stand-in gateway, with a memory of its own; {@code storeApps} are the store apps. */
  private ApprovalEventMessages messages(Set<String> storeApps) {
    return new ApprovalEventMessages(new FlowCallbackMessages(camunda, new LocalSeenEvents(Clock.systemUTC(), 100),
        Duration.ofHours(1), Duration.ofHours(24), Duration.ofMillis(1500), Duration.ofSeconds(1)), storeApps);
  }

  private static JsonNode body(RecordedRequest request) throws IOException {
    return JSON.readTree(request.getBody().readUtf8());
  }

  private static MockResponse published() {
    return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
        .setBody("{\"tenantId\":\"<default>\",\"messageKey\":\"2251799813685249\"}");
  }
}

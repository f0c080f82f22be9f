package io.github.feishuapproval.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.camunda.client.CamundaClient;
import io.github.feishuapproval.feishu.EventSubscription;
import io.github.feishuapproval.feishu.EventVerifier;
import io.github.feishuapproval.feishu.LocalSeenEvents;
import io.github.feishuapproval.feishu.TicketStore;
import io.github.feishuapproval.testsupport.FeishuEventPushes;
import io.github.feishuapproval.worker.ApprovalEventMessages;
import io.github.feishuapproval.worker.FlowCallbackMessages;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

/**
 * Approval events at the event endpoint, with a Camunda gateway that is not there: what is published answers 503,
 * what is not published answers 200 at once.
 */
class FeishuEventEndpointApprovalTest {

  private static final String TOKEN = "verification-token-approval-endpoint-8f2c";
  private static final String KEY = "encrypt-key-approval-endpoint-04be";
  private static final Map<String, ?> APPROVED = Map.of("approval_code", "AC-1", "instance_code", "IC-1", "status",
      "APPROVED", "uuid", "create-1");

  private final TicketStore tickets = TicketStore.inProcess(Clock.systemUTC());
  private CamundaClient absentGateway;
  private FeishuEventEndpoint endpoint;

  @BeforeEach
  void start() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    absentGateway = CamundaClient.newClientBuilder().restAddress(URI.create("http://127.0.0.1:" + closedPort))
        .preferRestOverGrpc(true).build();
    LocalSeenEvents seen = new LocalSeenEvents(Clock.systemUTC(), 100);
    ApprovalEventMessages messages = new ApprovalEventMessages(new FlowCallbackMessages(absentGateway, seen,
        Duration.ofHours(1), Duration.ofHours(24), Duration.ofMillis(1500), Duration.ofSeconds(1)));
    endpoint = new FeishuEventEndpoint(
        Map.of("hr", new EventSubscription("cli_hr", TOKEN, Optional.of(KEY)),
            "shared", new EventSubscription("cli_shared", TOKEN, Optional.of(KEY))),
        Set.of(), new EventVerifier(Clock.systemUTC(), seen, Duration.ofSeconds(1)), tickets, Clock.systemUTC(),
        Duration.ofSeconds(1), messages, Map.of("hr", List.of(), "shared", List.of("tenant-a", "tenant-b")));
  }

  @AfterEach
  void stop() {
    absentGateway.close();
  }

  @Test
  void anEventCamundaCouldNotTakeIsAnswered503ForFeishuToPushAgainAndIsNotRemembered() throws Exception {
    assertThat(endpoint.push("hr", request(approval("cli_hr", "ev-1"))).getStatusCode().value()).isEqualTo(503);
    assertThat(endpoint.push("hr", request(approval("cli_hr", "ev-1"))).getStatusCode().value()).isEqualTo(503);
  }

  @Test
  void anEventOfAnAppServingSeveralCamundaTenantsIsAnswered200WithoutPublishing() throws Exception {
    assertThat(endpoint.push("shared", request(approval("cli_shared", "ev-2"))).getStatusCode().value())
        .isEqualTo(200);
  }

  @Test
  void anAppTicketPushedForASelfBuiltAppIsAnswered200AndNotKept() throws Exception {
    FeishuEventPushes.Push ticket = FeishuEventPushes.push(
        FeishuEventPushes.appTicketEventV1("cli_hr", "ticket-x", TOKEN, "ev-3"), Optional.of(KEY), Instant.now());

    assertThat(endpoint.push("hr", request(ticket)).getStatusCode().value()).isEqualTo(200);
    assertThat(tickets.latest("cli_hr").toCompletableFuture().join()).isEmpty();
  }

  private static FeishuEventPushes.Push approval(String appId, String eventId) {
    return FeishuEventPushes.push(FeishuEventPushes.approvalEventV1("approval_instance", appId, TOKEN, eventId,
        APPROVED, Instant.now()), Optional.of(KEY), Instant.now());
  }

  private static MockHttpServletRequest request(FeishuEventPushes.Push push) {
    MockHttpServletRequest request = new MockHttpServletRequest("POST", "/feishu/events/x");
    request.setContent(push.bytes());
    request.setContentType("application/json");
    push.headers().forEach(request::addHeader);
    return request;
  }
}

package io.github.feishuapproval.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.feishuapproval.feishu.EventSubscription;
import io.github.feishuapproval.feishu.EventVerifier;
import io.github.feishuapproval.feishu.TicketStore;
import io.github.feishuapproval.testsupport.FeishuEventPushes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;

/** The event endpoint's answers and log lines, called as the servlet container would, without a server. */
class FeishuEventEndpointTest {

  private static final String APP_ID = "cli_store_endpoint_01";
  private static final String TOKEN = "verification-token-endpoint-6b3e";
  private static final String KEY = "encrypt-key-endpoint-1f9a";

  private final FeishuEventEndpoint endpoint = new FeishuEventEndpoint(
      Map.of("isv", new EventSubscription(APP_ID, TOKEN, Optional.of(KEY))), new EventVerifier(Clock.systemUTC()),
      TicketStore.inProcess(Clock.systemUTC()), Clock.systemUTC(), Duration.ofSeconds(2));
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(FeishuEventEndpoint.class);

  @BeforeEach
  void captureLog() {
    log.start();
    logger.addAppender(log);
  }

  @AfterEach
  void releaseLog() {
    logger.detachAppender(log);
  }

  @Test
  void aPushToANameWithoutAStoreAppIsAnsweredExactlyAsARefusedPushToAConfiguredApp() throws Exception {
    FeishuEventPushes.Push genuine = FeishuEventPushes.push(
        FeishuEventPushes.appTicketEventV1(APP_ID, "ticket-x", TOKEN, "ev-1"), Optional.of(KEY), Instant.now());
    Map<String, String> forged = new HashMap<>(genuine.headers());
    forged.put(FeishuEventPushes.SIGNATURE, "0".repeat(64));
    List<FeishuEventPushes.Push> probes = List.of(
        new FeishuEventPushes.Push(genuine.body(), forged),
        FeishuEventPushes.push(FeishuEventPushes.urlVerification("c-1", "guessed-token"), Optional.of(KEY),
            Instant.now()),
        FeishuEventPushes.push(FeishuEventPushes.appTicketEventV1(APP_ID, "t", "guessed-token", "ev-2"),
            Optional.empty(), Instant.now()),
        FeishuEventPushes.push("not json at all", Optional.empty(), Instant.now()),
        FeishuEventPushes.push("{\"x\":\"" + "y".repeat(70_000) + "\"}", Optional.empty(), Instant.now()));

    for (FeishuEventPushes.Push probe : probes) {
      ResponseEntity<String> known = endpoint.push("isv", request(probe));
      ResponseEntity<String> unknown = endpoint.push("nobody", request(probe));

      assertThat(unknown.getStatusCode()).isEqualTo(known.getStatusCode());
      assertThat(unknown.getStatusCode().is4xxClientError()).isTrue();
      assertThat(unknown.getHeaders().getContentType()).isEqualTo(known.getHeaders().getContentType());
      assertThat(unknown.getBody()).isEqualTo(known.getBody()).isEqualTo("{\"msg\":\"refused\"}");
    }
  }

  @Test
  void aFloodOfRefusedPushesLogsOneWarningPerAppAMinute() throws Exception {
    FeishuEventPushes.Push garbage = FeishuEventPushes.push("not json at all", Optional.empty(), Instant.now());
    for (int i = 0; i < 200; i++) {
      endpoint.push("isv", request(garbage));
      endpoint.push("nobody-" + i, request(garbage));
    }

    List<String> warnings = log.list.stream().filter(e -> e.getLevel() == Level.WARN)
        .map(ILoggingEvent::getFormattedMessage).toList();
    assertThat(warnings).hasSize(2);
    assertThat(warnings).anySatisfy(w -> assertThat(w).contains("for app " + APP_ID, "not a JSON object"))
        .anySatisfy(w -> assertThat(w).contains("no store app of that name"));
  }

  private static MockHttpServletRequest request(FeishuEventPushes.Push push) {
    MockHttpServletRequest request = new MockHttpServletRequest("POST", "/feishu/events/x");
    request.setContent(push.bytes());
    request.setContentType("application/json");
    push.headers().forEach(request::addHeader);
    return request;
  }
}

package io.github.feishuapproval.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.feishuapproval.feishu.EventSubscription;
import io.github.feishuapproval.feishu.EventVerdict;
import io.github.feishuapproval.feishu.EventVerifier;
import io.github.feishuapproval.feishu.TicketStore;
import io.github.feishuapproval.worker.ApprovalEventDelivery;
import io.github.feishuapproval.worker.ApprovalEventMessages;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Where Feishu pushes apps' events: {@code POST /feishu/events/<app name>} on {@code server.port}, apart from
 * the probes and metrics. It hands the bytes to {@link EventVerifier} and answers with a status; only a verified
 * app_ticket of a store app, or a verified Approval event, changes anything. An Approval event is answered 200 only
 * once Camunda took its message ({@link ApprovalEventMessages}), else 503 so that Feishu pushes it again; as Feishu
 * holds an instance's later events while one is unanswered, their order is kept. A push to a name no store app has is checked against keys nobody knows, so that it is
 * answered exactly as a refused push to a configured app would be, and the answers do not tell which names exist.
 * Refusals are logged at most once a minute per app, with a count of those left out.
 */
@RestController
public final class FeishuEventEndpoint {

  public static final String PATH = "/feishu/events/";
  private static final Logger log = LoggerFactory.getLogger(FeishuEventEndpoint.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final Duration REFUSAL_LOG_INTERVAL = Duration.ofMinutes(1);
  /** The one key all names without a store app share in the refusal log, so that made-up names cannot grow it. */
  private static final String UNKNOWN = "\0unknown";

  private final Map<String, EventSubscription> subscriptions;
  private final EventVerifier verifier;
  private final TicketStore tickets;
  private final Clock clock;
  private final Duration storeTimeout;
  private final EventSubscription decoy = decoy();
  private final RefusalLog refusals;
  private final Set<String> storeApps;
  private final ApprovalEventDelivery approvalEvents;

  /** @param subscriptions the store apps by the name the path uses */
  public FeishuEventEndpoint(Map<String, EventSubscription> subscriptions, EventVerifier verifier,
      TicketStore tickets, Clock clock, Duration storeTimeout) {
    this(subscriptions, subscriptions.keySet(), verifier, tickets, clock, storeTimeout, null, Map.of());
  }

  /**
   * @param subscriptions every app whose events are configured, by the name the path uses
   * @param storeApps the names of those that are store apps, whose app_tickets are kept
   * @param approvalMessages where Approval events go; null: they are ignored
   * @param camundaTenants the Camunda tenants each app serves, by name; none: the client's default tenant
   */
  public FeishuEventEndpoint(Map<String, EventSubscription> subscriptions, Set<String> storeApps,
      EventVerifier verifier, TicketStore tickets, Clock clock, Duration storeTimeout,
      ApprovalEventMessages approvalMessages, Map<String, List<String>> camundaTenants) {
    this.subscriptions = Map.copyOf(subscriptions);
    this.storeApps = Set.copyOf(storeApps);
    this.verifier = verifier;
    this.tickets = tickets;
    this.clock = clock;
    this.storeTimeout = storeTimeout;
    this.refusals = new RefusalLog(clock, REFUSAL_LOG_INTERVAL);
    this.approvalEvents = new ApprovalEventDelivery(approvalMessages, camundaTenants);
  }

  @PostMapping(path = PATH + "{app}", produces = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<String> push(@PathVariable("app") String app, HttpServletRequest request) throws IOException {
    byte[] body;
    try (InputStream in = request.getInputStream()) {
      body = in.readNBytes(EventVerifier.MAX_BODY_BYTES + 1);
    }
    EventSubscription subscription = subscriptions.get(app);
    if (subscription == null) {
      EventVerdict verdict = verifier.verify(decoy, body, headers(request));
      int status = verdict instanceof EventVerdict.Refused refused ? refused.status() : 401;
      refusals.admit(UNKNOWN).ifPresent(leftOut -> log.warn("Refused an event push to {}{}: no store app of that "
          + "name is configured{}", PATH, printable(app), leftOut(leftOut)));
      return answer(status, Map.of("msg", "refused"));
    }
    EventVerdict verdict = verifier.verify(subscription, body, headers(request));
    return switch (verdict) {
      case EventVerdict.Challenge challenge -> answer(200, Map.of("challenge", challenge.challenge()));
      case EventVerdict.AppTicket ticket when !storeApps.contains(app) -> {
        log.debug("An app_ticket was pushed for self-built app {}; only store apps use one", subscription.appId());
        yield answer(200, Map.of());
      }
      case EventVerdict.AppTicket ticket -> store(app, subscription, ticket);
      case EventVerdict.ApprovalEvent event -> publish(app, subscription, event);
      case EventVerdict.Duplicate duplicate -> {
        log.info("Event {} for app {} was pushed again; already handled", duplicate.eventId(), subscription.appId());
        yield answer(200, Map.of());
      }
      case EventVerdict.Ignored ignored -> {
        log.debug("Event {} of type {} for app {} is not one this worker handles", ignored.eventId(),
            printable(ignored.eventType()), subscription.appId());
        yield answer(200, Map.of());
      }
      case EventVerdict.Refused refused -> {
        refusals.admit(app).ifPresent(leftOut -> log.warn("Refused an event push for app {} from {}: {}{}",
            subscription.appId(), request.getRemoteAddr(), refused.reason(), leftOut(leftOut)));
        // the reason is for the log: echoing it would tell a prober which check failed
        yield answer(refused.status(), Map.of("msg", "refused"));
      }
      case EventVerdict.Unavailable unavailable -> {
        log.warn("Could not check an event push for app {} ({}); answering 503 so that Feishu pushes it again",
            subscription.appId(), unavailable.reason());
        yield answer(503, Map.of("msg", "try again"));
      }
    };
  }

  /** Answers 200 only once the ticket is stored; otherwise Feishu pushes it again later. */
  private ResponseEntity<String> store(String app, EventSubscription subscription, EventVerdict.AppTicket ticket) {
    try {
      tickets.put(subscription.appId(), new TicketStore.StoredTicket(ticket.ticket(), clock.instant()))
          .toCompletableFuture().get(storeTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception unstored) {
      // Feishu's next push of the same event must not be taken for a duplicate
      verifier.forget(ticket);
      log.warn("Could not keep the app_ticket Feishu pushed for app {} ({}); answering 503 so that Feishu pushes it "
          + "again", subscription.appId(), unstored.getClass().getSimpleName());
      return answer(503, Map.of("msg", "the ticket could not be stored"));
    }
    log.info("Received an app_ticket for store app {} ({}), event {}", app, subscription.appId(), ticket.eventId());
    return answer(200, Map.of());
  }

  /** Answers 200 only once Camunda took the message (or had it already); otherwise Feishu pushes it again. */
  private ResponseEntity<String> publish(String app, EventSubscription subscription, EventVerdict.ApprovalEvent event) {
    return approvalEvents.deliver(app, subscription.appId(), event) ? answer(200, Map.of())
        : answer(503, Map.of("msg", "try again"));
  }

  private static String leftOut(long count) {
    return count == 0 ? "" : " (" + count + " more refused in the minute before were not logged)";
  }

  /** A store app nobody has the keys of: pushes to unknown names fail its checks as they would a real app's. */
  private static EventSubscription decoy() {
    SecureRandom random = new SecureRandom();
    byte[] token = new byte[24];
    byte[] key = new byte[24];
    random.nextBytes(token);
    random.nextBytes(key);
    HexFormat hex = HexFormat.of();
    return new EventSubscription("cli_no_such_app", hex.formatHex(token), Optional.of(hex.formatHex(key)));
  }

  private static Map<String, String> headers(HttpServletRequest request) {
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (String name : Collections.list(request.getHeaderNames())) headers.put(name, request.getHeader(name));
    return headers;
  }

  private static ResponseEntity<String> answer(int status, Map<String, String> body) {
    try {
      return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
          .body(JSON.writeValueAsString(new LinkedHashMap<>(body)));
    } catch (IOException e) {
      return ResponseEntity.status(500).build();
    }
  }

  private static String printable(String name) {
    String cut = name.length() > 64 ? name.substring(0, 64) + "..." : name;
    return cut.replaceAll("[^\\p{Alnum}_.-]", "?");
  }
}

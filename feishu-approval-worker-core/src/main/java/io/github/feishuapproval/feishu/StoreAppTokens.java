package io.github.feishuapproval.feishu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A store app's tokens: the app_access_token, fetched with the app_ticket Feishu pushed and shared by all customer
 * tenants, and a tenant_access_token per tenant_key. Each is cached until shortly before it expires and fetched once
 * however many calls need it. Without a ticket Feishu is asked to push one, and calls are not made until it arrives;
 * after {@code ticketWait} without one, they are refused as a configuration problem.
 */
final class StoreAppTokens implements TokenSource {

  private static final Logger log = LoggerFactory.getLogger(StoreAppTokens.class);
  private static final List<String> APP_TOKEN = List.of("open-apis", "auth", "v3", "app_access_token");
  private static final List<String> TENANT_TOKEN = List.of("open-apis", "auth", "v3", "tenant_access_token");
  private static final List<String> RESEND = List.of("open-apis", "auth", "v3", "app_ticket", "resend");
  /** How soon a call that found no ticket is tried again; Feishu's push may take up to two minutes. */
  static final Duration TICKET_RETRY = Duration.ofSeconds(10);
  /** The least time between two requests for a new push. */
  static final Duration RESEND_INTERVAL = Duration.ofMinutes(1);
  private static final int TICKET_REFUSED = 10012;
  private static final int TENANT_UNKNOWN = 99991665;
  private static final int TENANT_STOPPED = 99991673;
  private static final List<Integer> APP_TOKEN_REJECTED = List.of(99991661, 99991664, 99991671);

  private final String app;
  private final FeishuHttp http;
  private final FeishuSettings settings;
  private final ResponseClassifier classifier;
  private final ObjectMapper json;
  private final Clock clock;
  private final FeishuEvents events;
  private final TicketStore tickets;
  private final CachedToken appToken = new CachedToken();
  private final Map<String, CachedToken> tenantTokens = new ConcurrentHashMap<>();
  private final AtomicLong fetches = new AtomicLong();
  private Instant ticketMissingSince;
  private Instant lastResend = Instant.MIN;
  private volatile Optional<TicketStore.StoredTicket> lastTicketSeen = Optional.empty();

  StoreAppTokens(String app, FeishuHttp http, FeishuSettings settings, ResponseClassifier classifier,
      ObjectMapper json, Clock clock, FeishuEvents events, TicketStore tickets) {
    this.app = app;
    this.http = http;
    this.settings = settings;
    this.classifier = classifier;
    this.json = json;
    this.clock = clock;
    this.events = events;
    this.tickets = tickets;
  }

  @Override
  public CompletableFuture<TokenResult> token(String tenantKey) {
    CachedToken tenant = tenantTokens.computeIfAbsent(tenantKey, key -> new CachedToken());
    return tenant.get(clock, () -> fetchTenantToken(tenantKey, true), result -> {
      events.tokenFetched(app, result instanceof TokenResult.Issued);
      fetches.incrementAndGet();
    });
  }

  @Override
  public void invalidate(String tenantKey, TenantToken rejected) {
    CachedToken tenant = tenantTokens.get(tenantKey);
    if (tenant != null && tenant.drop(rejected)) {
      log.info("Feishu rejected the cached tenant token of a customer tenant of app {}; the next call fetches a new one",
          settings.appId());
    }
  }

  @Override
  public long fetchCount() {
    return fetches.get();
  }

  @Override
  public Map<String, Object> healthDetails() {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("type", "store app");
    Optional<TicketStore.StoredTicket> ticket = lastTicketSeen;
    synchronized (this) {
      details.put("ticket", ticket.map(t -> "received at " + t.receivedAt() + ", valid until "
          + t.receivedAt().plus(TicketStore.VALID_FOR)).orElse(ticketMissingSince == null ? "not needed yet"
          : "none since " + ticketMissingSince + "; a push was last requested at " + lastResend));
    }
    details.put("appToken", appToken.describe(clock));
    details.put("tenantTokens", tenantTokens.values().stream().filter(c -> c.fresh(clock)).count() + " cached");
    return details;
  }

  @Override
  public boolean misconfigured() {
    return appToken.lastFailure() instanceof FeishuOutcome.ConfigurationError;
  }

  /** At start: asks Feishu for a push when no valid ticket is stored, so that the first jobs need not wait long. */
  void requestTicketIfMissing() {
    tickets.latest(settings.appId()).whenComplete((ticket, unreadable) -> {
      if (unreadable == null && ticket.isPresent()) {
        ticketArrived(ticket.get());
      } else {
        requestTicket();
      }
    });
  }

  /** Asks Feishu to push a new ticket, at most once a {@link #RESEND_INTERVAL}. */
  void requestTicket() {
    requestTicket(Instant.MAX);
  }

  /**
   * Asks Feishu to push a new ticket, at most once a {@link #RESEND_INTERVAL}, or at once when no request was made
   * since {@code refusedTicketReceivedAt}: the ticket Feishu just refused is newer than the last request.
   */
  private void requestTicket(Instant refusedTicketReceivedAt) {
    synchronized (this) {
      Instant now = clock.instant();
      boolean afterRefusal = lastResend.isBefore(refusedTicketReceivedAt) && refusedTicketReceivedAt != Instant.MAX;
      if (!afterRefusal && now.isBefore(lastResend.plus(RESEND_INTERVAL))) return;
      lastResend = now;
    }
    String body = json.createObjectNode().put("app_id", settings.appId()).put("app_secret", settings.appSecret())
        .toString();
    http.post(http.url(RESEND), null, body).whenComplete((answer, failure) -> {
      if (failure != null) {
        log.warn("Could not ask Feishu to push an app_ticket for app {}: {}", settings.appId(),
            FeishuHttp.describe(failure));
        return;
      }
      FeishuOutcome outcome = classifier.classifyTokenAnswer(answer);
      if (outcome instanceof FeishuOutcome.Success) {
        log.info("Asked Feishu to push a new app_ticket for app {} (log id {})", settings.appId(), answer.logId());
      } else {
        log.warn("Feishu did not take the request to push an app_ticket for app {}: {} (log id {})", settings.appId(),
            FeishuOutcomes.describe(outcome), answer.logId());
      }
    });
  }

  private CompletableFuture<TokenResult> fetchTenantToken(String tenantKey, boolean firstTry) {
    return appToken.get(clock, this::fetchAppToken, result -> { }).thenCompose(app -> switch (app) {
      case TokenResult.Refused refused -> CompletableFuture.completedFuture(refused);
      case TokenResult.Issued issued -> {
        String body = json.createObjectNode().put("app_access_token", issued.token().value())
            .put("tenant_key", tenantKey).toString();
        yield http.post(http.url(TENANT_TOKEN), null, body)
            .handle((answer, failure) -> {
              if (failure != null) {
                return CompletableFuture.<TokenResult>completedFuture(new TokenResult.Refused(
                    new FeishuOutcome.Transient("tenant token fetch " + FeishuHttp.describe(failure), "")));
              }
              int code = classifier.parse(answer.body()).path("code").asInt(-1);
              if (APP_TOKEN_REJECTED.contains(code)) {
                appToken.drop(issued.token());
                if (firstTry) return fetchTenantToken(tenantKey, false);
              }
              return CompletableFuture.completedFuture(readToken(answer, "tenant_access_token", tenantKey));
            })
            .thenCompose(next -> next);
      }
    });
  }

  private CompletableFuture<TokenResult> fetchAppToken() {
    return tickets.latest(settings.appId()).toCompletableFuture()
        .handle((ticket, unreadable) -> {
          if (unreadable != null) {
            return CompletableFuture.<TokenResult>completedFuture(new TokenResult.Refused(new FeishuOutcome.NotSent(
                settings.storeRetryWait(), "the app_ticket could not be read from the shared store ("
                + FeishuHttp.describe(unreadable) + ")")));
          }
          if (ticket.isEmpty()) return CompletableFuture.completedFuture(noTicket());
          ticketArrived(ticket.get());
          String body = json.createObjectNode().put("app_id", settings.appId())
              .put("app_secret", settings.appSecret()).put("app_ticket", ticket.get().value()).toString();
          return http.post(http.url(APP_TOKEN), null, body).handle((answer, failure) -> {
            if (failure != null) {
              return (TokenResult) new TokenResult.Refused(
                  new FeishuOutcome.Transient("app token fetch " + FeishuHttp.describe(failure), ""));
            }
            if (classifier.parse(answer.body()).path("code").asInt(-1) == TICKET_REFUSED) {
              tickets.drop(settings.appId(), ticket.get().value());
              requestTicket(ticket.get().receivedAt());
              return new TokenResult.Refused(new FeishuOutcome.NotSent(TICKET_RETRY, "Feishu refused the app_ticket "
                  + "of store app " + app + " (code " + TICKET_REFUSED + ", log id " + answer.logId()
                  + "); a new push was requested"));
            }
            return readToken(answer, "app_access_token", "");
          });
        })
        .thenCompose(next -> next);
  }

  private synchronized void ticketArrived(TicketStore.StoredTicket ticket) {
    ticketMissingSince = null;
    lastTicketSeen = Optional.of(ticket);
  }

  private TokenResult noTicket() {
    Instant since;
    synchronized (this) {
      if (ticketMissingSince == null) ticketMissingSince = clock.instant();
      since = ticketMissingSince;
      lastTicketSeen = Optional.empty();
    }
    requestTicket();
    if (clock.instant().isAfter(since.plus(settings.ticketWait()))) {
      return new TokenResult.Refused(new FeishuOutcome.ConfigurationError(-1, "no app_ticket has arrived from "
          + "Feishu for store app " + app + " since " + since, "", "check that the app's event request URL in the "
          + "Feishu developer console is this worker's event endpoint (https://<host>/feishu/events/" + app + "), "
          + "reachable from the internet, and that the app_ticket event is subscribed"));
    }
    return new TokenResult.Refused(new FeishuOutcome.NotSent(TICKET_RETRY, "no app_ticket from Feishu yet for store "
        + "app " + app + "; a push was requested"));
  }

  private TokenResult readToken(HttpAnswer answer, String field, String tenantKey) {
    int code = classifier.parse(answer.body()).path("code").asInt(-1);
    if (code == TENANT_UNKNOWN || code == TENANT_STOPPED) {
      String msg = classifier.parse(answer.body()).path("msg").asText("");
      return new TokenResult.Refused(new FeishuOutcome.ConfigurationError(code, msg, answer.logId(),
          code == TENANT_UNKNOWN ? "Feishu does not know the tenant_key " + tenantKey + ": check the job's tenantKey "
              + "and that this customer tenant installed the app"
              : "the customer tenant " + tenantKey + " stopped or uninstalled the app: it must enable it again"));
    }
    FeishuOutcome outcome = classifier.classifyTokenAnswer(answer);
    if (!(outcome instanceof FeishuOutcome.Success)) return new TokenResult.Refused(outcome);
    JsonNode node = classifier.parse(answer.body());
    String value = node.path(field).asText("");
    long expire = node.path("expire").asLong(0);
    if (value.isEmpty() || expire <= 0) {
      return new TokenResult.Refused(new FeishuOutcome.Transient("the token endpoint answered code 0 without a "
          + field + " or expiry", answer.logId()));
    }
    return new TokenResult.Issued(new TenantToken(value, TenantTokenProvider.refreshAt(clock.instant(), expire)));
  }
}

package io.github.feishuapproval.feishu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches the app's tenant_access_token, caches it until shortly before it expires, and lets however many
 * concurrent callers share one fetch. A token that Feishu rejects is dropped so the next caller fetches anew.
 */
public final class TenantTokenProvider implements TokenSource {

  private static final Logger log = LoggerFactory.getLogger(TenantTokenProvider.class);
  private static final List<String> PATH = List.of("open-apis", "auth", "v3", "tenant_access_token", "internal");
  private static final Duration MAX_REFRESH_MARGIN = Duration.ofMinutes(5);

  private final FeishuHttp http;
  private final FeishuSettings settings;
  private final ResponseClassifier classifier;
  private final ObjectMapper json;
  private final Clock clock;
  private final AtomicLong fetches = new AtomicLong();

  private final String app;
  private final FeishuEvents events;

  private TenantToken cached;
  private CompletableFuture<TokenResult> inFlight;
  private volatile TokenState state = new TokenState(false, null, null, null);

  /**
   * What the provider last knew, for health checks that must not call Feishu.
   *
   * @param cached whether a token is cached and still fresh
   * @param lastFailure the outcome of the last fetch, when it failed after the last success
   */
  public record TokenState(boolean cached, Instant refreshAt, FeishuOutcome lastFailure, Instant lastFailureAt) {}

  TenantTokenProvider(String app, FeishuHttp http, FeishuSettings settings, ResponseClassifier classifier,
      ObjectMapper json, Clock clock, FeishuEvents events) {
    this.app = app;
    this.events = events;
    this.http = http;
    this.settings = settings;
    this.classifier = classifier;
    this.json = json;
    this.clock = clock;
  }

  @Override
  public CompletableFuture<TokenResult> token(String tenantKey) {
    return token();
  }

  @Override
  public void invalidate(String tenantKey, TenantToken rejected) {
    invalidate(rejected);
  }

  @Override
  public Map<String, Object> healthDetails() {
    TokenState current = state();
    Map<String, Object> details = new LinkedHashMap<>();
    if (current.cached()) {
      details.put("token", "cached until " + current.refreshAt());
    } else if (current.lastFailure() != null) {
      details.put("token", "last fetch failed at " + current.lastFailureAt() + ": "
          + FeishuOutcomes.describe(current.lastFailure()));
    } else {
      details.put("token", "not fetched yet");
    }
    return details;
  }

  @Override
  public boolean misconfigured() {
    return state().lastFailure() instanceof FeishuOutcome.ConfigurationError;
  }

  /** A cached token, the fetch already under way, or a new fetch: never two fetches at once. */
  CompletableFuture<TokenResult> token() {
    CompletableFuture<TokenResult> fetch;
    synchronized (this) {
      if (cached != null && clock.instant().isBefore(cached.refreshAt())) {
        return CompletableFuture.completedFuture(new TokenResult.Issued(cached));
      }
      if (inFlight != null) return inFlight;
      fetch = new CompletableFuture<>();
      inFlight = fetch;
    }
    fetches.incrementAndGet();
    fetchNow().whenComplete((result, failure) -> {
      TokenResult settled = failure != null
          ? new TokenResult.Refused(new FeishuOutcome.Transient("token fetch " + FeishuHttp.describe(failure), ""))
          : result;
      synchronized (this) {
        inFlight = null;
        if (settled instanceof TokenResult.Issued issued) {
          cached = issued.token();
          state = new TokenState(true, cached.refreshAt(), null, null);
        } else {
          state = new TokenState(false, null, ((TokenResult.Refused) settled).outcome(), clock.instant());
        }
      }
      events.tokenFetched(app, settled instanceof TokenResult.Issued);
      fetch.complete(settled);
    });
    return fetch;
  }

  /** Forgets {@code rejected} unless a newer token already replaced it. */
  synchronized void invalidate(TenantToken rejected) {
    if (cached != null && cached.value().equals(rejected.value())) {
      cached = null;
      log.info("Feishu rejected the cached tenant token; the next call fetches a new one");
    }
  }

  public TokenState state() {
    TokenState current = state;
    boolean fresh = current.cached() && clock.instant().isBefore(current.refreshAt());
    return fresh == current.cached() ? current : new TokenState(false, current.refreshAt(), null, null);
  }

  @Override
  public long fetchCount() {
    return fetches.get();
  }

  /** When a token issued now for {@code expire} seconds is replaced: 5 minutes before it expires, or half way. */
  static Instant refreshAt(Instant now, long expire) {
    Duration lifetime = Duration.ofSeconds(expire);
    Duration margin = lifetime.dividedBy(2).compareTo(MAX_REFRESH_MARGIN) < 0 ? lifetime.dividedBy(2) : MAX_REFRESH_MARGIN;
    return now.plus(lifetime).minus(margin);
  }

  private CompletableFuture<TokenResult> fetchNow() {
    ObjectNode body = json.createObjectNode().put("app_id", settings.appId()).put("app_secret", settings.appSecret());
    return http.post(http.url(PATH), null, body.toString()).handle((answer, failure) -> {
      if (failure != null) {
        return new TokenResult.Refused(new FeishuOutcome.Transient("token fetch " + FeishuHttp.describe(failure), ""));
      }
      return read(answer);
    });
  }

  private TokenResult read(HttpAnswer answer) {
    FeishuOutcome outcome = classifier.classifyTokenAnswer(answer);
    if (!(outcome instanceof FeishuOutcome.Success)) return new TokenResult.Refused(outcome);
    JsonNode node = classifier.parse(answer.body());
    String value = node.path("tenant_access_token").asText("");
    long expire = node.path("expire").asLong(0);
    if (value.isEmpty() || expire <= 0) {
      return new TokenResult.Refused(new FeishuOutcome.Transient(
          "the token endpoint answered code 0 without a token or expiry", answer.logId()));
    }
    Instant refreshAt = refreshAt(clock.instant(), expire);
    log.info("Fetched a Feishu tenant token for app {}, valid for {} s (log id {})", settings.appId(), expire,
        answer.logId());
    return new TokenResult.Issued(new TenantToken(value, refreshAt));
  }
}

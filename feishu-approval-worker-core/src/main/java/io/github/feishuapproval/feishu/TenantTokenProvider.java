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
final class TenantTokenProvider implements TokenSource {

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

  private final CachedToken cache = new CachedToken();

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
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("token", cache.describe(clock));
    return details;
  }

  @Override
  public boolean misconfigured() {
    return cache.lastFailure() instanceof FeishuOutcome.ConfigurationError;
  }

  /** A cached token, the fetch already under way, or a new fetch: never two fetches at once. */
  CompletableFuture<TokenResult> token() {
    return cache.get(clock, () -> {
      fetches.incrementAndGet();
      return fetchNow();
    }, settled -> events.tokenFetched(app, settled instanceof TokenResult.Issued));
  }

  /** Forgets {@code rejected} unless a newer token already replaced it. */
  void invalidate(TenantToken rejected) {
    if (cache.drop(rejected)) log.info("Feishu rejected the cached tenant token; the next call fetches a new one");
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

package io.github.feishuapproval.feishu;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import okhttp3.HttpUrl;

/**
 * Calls Feishu's server API for one app. {@link #call} never blocks and never throws for anything Feishu or the
 * network does: the future always completes with an outcome.
 */
public final class FeishuClient implements AutoCloseable {

  private final FeishuHttp http;
  private final TokenSource tokens;
  private final ResponseClassifier classifier;
  private final ObjectMapper json;
  private final FeishuSettings settings;
  private final Clock clock;
  /** A deadline no call reaches, a century: for callers with none of their own, whom the call's timeouts bound. */
  public static final Duration NO_DEADLINE = Duration.ofDays(36_500);

  private final QuotaStore quotas;
  private final QuotaDepartures departures;
  private final String app;
  private final FeishuEvents events;

  FeishuClient(FeishuSettings settings, ObjectMapper json, Clock clock) {
    this(FeishuApps.DEFAULT, settings, json, clock, FeishuEvents.NONE,
        new LocalQuotaStore(Math.max(1, settings.quotaCalls()), settings.quotaWindow(), clock),
        new LocalTicketStore(clock));
  }

  /**
   * @param app the name this app goes by in configuration, task headers and metrics
   * @param quotas where the app's quotas are counted; shared by all apps of the worker, keyed by app id
   * @param tickets where a store app's app_ticket is kept; unused by a self-built app
   */
  FeishuClient(String app, FeishuSettings settings, ObjectMapper json, Clock clock, FeishuEvents events,
      QuotaStore quotas, TicketStore tickets) {
    this.quotas = quotas;
    this.departures = new QuotaDepartures(app, settings, events, quotas);
    this.app = app;
    this.events = events;
    this.settings = settings;
    this.clock = clock;
    this.http = new FeishuHttp(settings);
    this.json = json;
    this.classifier = new ResponseClassifier(json, settings.defaultRateLimitWait());
    this.tokens = settings.storeApp()
        ? new StoreAppTokens(app, http, settings, classifier, json, clock, events, tickets)
        : new TenantTokenProvider(app, http, settings, classifier, json, clock, events);
  }

  public String app() {
    return app;
  }

  /** Whether this is a store app, which acts for the customer tenant each call names. */
  public boolean isStoreApp() {
    return settings.storeApp();
  }

  /** A store app without a valid ticket asks Feishu to push one; a self-built app needs none. */
  public void requestTicketIfMissing() {
    if (tokens instanceof StoreAppTokens store) store.requestTicketIfMissing();
  }

  public FeishuSettings settings() {
    return settings;
  }

  /**
   * Makes the call with the app's tenant token, within the app's quota for that API. A token Feishu rejects is dropped
   * and the call made once more with a fresh one. A call that would wait longer than the settings allow for a quota
   * slot is not made: it comes back {@link FeishuOutcome.RateLimited} with the wait.
   *
   * @throws IllegalArgumentException when a path parameter is not a plain id (checked before anything is sent)
   */
  public CompletableFuture<FeishuOutcome> call(ApiRequest request) {
    return call(request, NO_DEADLINE);
  }

  /**
   * As {@link #call(ApiRequest)}, for a caller who needs the answer within {@code answerWithin} (a job whose lock runs
   * out then): no request leaves that could still be under way after that, and quota waits are shortened to fit; a
   * call that cannot leave in time comes back {@link FeishuOutcome.NotSent}.
   */
  public CompletableFuture<FeishuOutcome> call(ApiRequest request, Duration answerWithin) {
    Duration within = answerWithin.compareTo(NO_DEADLINE) < 0 ? answerWithin : NO_DEADLINE;
    long answerBy = System.nanoTime() + within.toNanos();
    HttpUrl.Builder withQuery = http.url(request.operation().segments(request.pathParams())).newBuilder();
    request.query().forEach(withQuery::addQueryParameter);
    HttpUrl url = withQuery.build();
    String body;
    try {
      body = json.writeValueAsString(request.body());
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the request body cannot be written as JSON", e);
    }
    QuotaStore.QuotaKey quota = new QuotaStore.QuotaKey(settings.appId(), request.tenantKey().orElse(""),
        request.operation().name());
    return attempt(request.operation(), quota, request.tenantKey().orElse(""), url, body, true, answerBy)
        .exceptionally(failure -> new FeishuOutcome.Transient(FeishuHttp.describe(failure), ""));
  }

  /**
   * The longest a call can take besides its quota waits, which it shortens to its deadline itself: fetching a token (a
   * store app fetches its app token and the tenant's, and both again when Feishu rejects the app token) and the call.
   */
  public Duration longestCallBesidesQuotaWaits() {
    int tokenFetches = settings.storeApp() ? 4 : 1;
    return settings.callTimeout().multipliedBy(tokenFetches + 1L);
  }

  /** The app's tokens (and a store app's ticket) as the probes show them, without calling Feishu. */
  public Map<String, Object> tokenHealth() {
    return tokens.healthDetails();
  }

  /** Whether the last token fetch failed for a reason only an operator can fix. */
  public boolean misconfigured() {
    return tokens.misconfigured();
  }

  TokenSource tokens() {
    return tokens;
  }

  /** The quota slot is taken once the token is at hand, so that the slot's time is when the call leaves. */
  private CompletableFuture<FeishuOutcome> attempt(FeishuOperation operation, QuotaStore.QuotaKey quota,
      String tenantKey, HttpUrl url, String body, boolean firstTry, long answerBy) {
    return tokens.token(tenantKey).thenCompose(result -> switch (result) {
      case TokenResult.Refused refused -> CompletableFuture.completedFuture(refused.outcome());
      case TokenResult.Issued issued -> departures.within(operation, quota,
          () -> send(operation, quota, tenantKey, url, body, issued, firstTry, answerBy), answerBy);
    });
  }

  private CompletableFuture<FeishuOutcome> send(FeishuOperation operation, QuotaStore.QuotaKey quota,
      String tenantKey, HttpUrl url, String body, TokenResult.Issued issued, boolean firstTry, long answerBy) {
    // the last moment to decide: a request that could still be under way when the caller's deadline passes stays here
    if (System.nanoTime() + settings.callTimeout().toNanos() - answerBy > 0) {
      return CompletableFuture.completedFuture(tooLate());
    }
    CompletableFuture<HttpAnswer> answered = operation.method() == FeishuOperation.Method.GET
        ? http.get(url, issued.token().value())
        : http.post(url, issued.token().value(), body);
    return timed(operation, answered)
        .handle((answer, failure) -> {
          if (failure != null) {
            return CompletableFuture.<FeishuOutcome>completedFuture(
                new FeishuOutcome.Transient(FeishuHttp.describe(failure), ""));
          }
          ResponseClassifier.Verdict verdict = classifier.classifyApiAnswer(answer);
          events.callFinished(app, operation.name(), verdict.tokenRejected() ? "token_rejected"
              : outcomeName(verdict.outcome()), codeOf(verdict.outcome()), answer.elapsed());
          if (verdict.tokenRejected()) {
            tokens.invalidate(tenantKey, issued.token());
            if (firstTry) return attempt(operation, quota, tenantKey, url, body, false, answerBy);
          }
          if (verdict.outcome() instanceof FeishuOutcome.RateLimited limited && settings.quotaCalls() > 0) {
            quotas.pause(quota, limited.retryAfter());
          }
          return CompletableFuture.completedFuture(verdict.outcome());
        })
        .thenCompose(next -> next);
  }

  private FeishuOutcome tooLate() {
    return new FeishuOutcome.NotSent(settings.storeRetryWait(), "the job's lock would run out before Feishu could "
        + "answer (each request may take feishu.http.call-timeout, " + settings.callTimeout() + ")");
  }

  /** Attaches the call's duration to its answer; a failed call is reported here as transient. */
  private CompletableFuture<HttpAnswer> timed(FeishuOperation operation, CompletableFuture<HttpAnswer> call) {
    long started = System.nanoTime();
    return call.handle((answer, failure) -> {
      Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
      if (failure != null) {
        events.callFinished(app, operation.name(), "transient", -1, elapsed);
        throw failure instanceof java.util.concurrent.CompletionException c ? c
            : new java.util.concurrent.CompletionException(failure);
      }
      return answer.withElapsed(elapsed);
    });
  }

  static String outcomeName(FeishuOutcome outcome) {
    return switch (outcome) {
      case FeishuOutcome.Success s -> "success";
      case FeishuOutcome.BusinessError e -> "business_error";
      case FeishuOutcome.Transient t -> "transient";
      case FeishuOutcome.RateLimited r -> "rate_limited";
      case FeishuOutcome.ConfigurationError c -> "configuration_error";
      case FeishuOutcome.NotSent n -> "not_sent";
    };
  }

  private static int codeOf(FeishuOutcome outcome) {
    return switch (outcome) {
      case FeishuOutcome.Success s -> s.code();
      case FeishuOutcome.BusinessError e -> e.code();
      case FeishuOutcome.ConfigurationError c -> c.code();
      default -> -1;
    };
  }

  @Override
  public void close() {
    departures.close();
    http.close();
  }
}

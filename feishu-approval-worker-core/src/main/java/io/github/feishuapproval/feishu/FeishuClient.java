package io.github.feishuapproval.feishu;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
  private static final Logger log = LoggerFactory.getLogger(FeishuClient.class);

  /** How often a call that missed its slot takes another before its job is handed back. */
  private static final int LATE_SLOTS_TO_GIVE_UP = 3;
  /** A deadline no call reaches: a century. */
  private static final Duration NO_DEADLINE = Duration.ofDays(36_500);

  private final QuotaStore quotas;
  private final Duration lateLimit;
  private final ScheduledExecutorService slotTimer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread timer = new Thread(r, "feishu-quota-slots");
    timer.setDaemon(true);
    return timer;
  });
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
    this.lateLimit = QuotaStore.slotReuse(settings.quotaWindow()).minus(settings.quotaWindow());
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
    HttpUrl url = http.url(request.operation().segments(request.pathParams()));
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
      case TokenResult.Issued issued -> withinQuota(operation, quota,
          () -> send(operation, quota, tenantKey, url, body, issued, firstTry, answerBy), LATE_SLOTS_TO_GIVE_UP,
          answerBy);
    });
  }

  /**
   * A call leaves when its slot comes, if the slot is still its own. If it comes too late to leave within the quota's
   * jitter margin (the machine was busy, the JVM paused, the store answered slowly), it is not sent late, which could
   * crowd the next window: the slot is given back, so that it counts for nothing, and the call takes a new one, a few
   * times at most before the job is handed back. A slot the shared store took back is not used either.
   */
  private CompletableFuture<FeishuOutcome> withinQuota(FeishuOperation operation, QuotaStore.QuotaKey quota,
      Supplier<CompletableFuture<FeishuOutcome>> send, int lateSlotsLeft, long answerBy) {
    if (settings.quotaCalls() == 0) return send.get();
    long asked = System.nanoTime();
    // a slot is worth taking only if the call leaving on it is answered by the deadline
    Duration leaveWithin = Duration.ofNanos(answerBy - asked).minus(settings.callTimeout());
    if (leaveWithin.isNegative()) return CompletableFuture.completedFuture(tooLate());
    Duration maxWait = leaveWithin.compareTo(settings.maxQuotaWait()) < 0 ? leaveWithin : settings.maxQuotaWait();
    return quotas.reserve(quota, maxWait).toCompletableFuture()
        .handle((reservation, failure) -> {
          if (failure != null) {
            return CompletableFuture.<FeishuOutcome>completedFuture(new FeishuOutcome.NotSent(
                settings.storeRetryWait(), "the shared quota could not be consulted (" + FeishuHttp.describe(failure)
                + "); nothing was sent to Feishu"));
          }
          return switch (reservation) {
            case QuotaStore.Reservation.Refused refused -> {
              events.quotaRefused(app, operation.name());
              yield CompletableFuture.<FeishuOutcome>completedFuture(new FeishuOutcome.RateLimited(
                  refused.retryAfter(), "the app's quota of " + settings.quotaCalls() + " " + operation.name()
                  + " calls per " + settings.quotaWindow() + " is spent", ""));
            }
            // a slot for now was taken somewhere between asking and the answer: late if that took long
            case QuotaStore.Reservation.Granted granted when granted.delay().isZero() ->
                leaveOnTime(operation, quota, granted, true, System.nanoTime() - asked, send, lateSlotsLeft,
                    answerBy);
            case QuotaStore.Reservation.Granted granted -> {
              events.quotaWaited(app, operation.name(), granted.delay());
              long due = System.nanoTime() + granted.delay().toNanos();
              CompletableFuture<FeishuOutcome> sent = new CompletableFuture<>();
              // on a timer thread of its own: sending only enqueues the request, so calls due together leave together
              slotTimer.schedule(() -> quotas.confirm(quota, granted).toCompletableFuture()
                  .exceptionally(unconfirmed -> false)
                  .thenCompose(stillOurs ->
                      leaveOnTime(operation, quota, granted, stillOurs, System.nanoTime() - due, send, lateSlotsLeft,
                      answerBy))
                  .whenComplete((outcome, error) -> {
                    if (error != null) sent.completeExceptionally(error);
                    else sent.complete(outcome);
                  }), granted.delay().toNanos(), TimeUnit.NANOSECONDS);
              yield sent;
            }
          };
        })
        .thenCompose(next -> next);
  }

  /** Sends on a slot still ours and not missed by more than the jitter margin; otherwise takes another. */
  private CompletableFuture<FeishuOutcome> leaveOnTime(FeishuOperation operation, QuotaStore.QuotaKey quota,
      QuotaStore.Reservation.Granted granted, boolean stillOurs, long lateNanos,
      Supplier<CompletableFuture<FeishuOutcome>> send, int lateSlotsLeft, long answerBy) {
    if (stillOurs && lateNanos <= lateLimit.toNanos()) return send.get();
    events.quotaSlotMissed(app, operation.name(), stillOurs ? "late" : "taken_back");
    log.debug("A {} call missed its quota slot ({}); taking another", operation.name(),
        stillOurs ? "late by " + lateNanos / 1_000_000 + " ms" : "the shared store gave it to another replica");
    CompletableFuture<Boolean> givenBack = stillOurs
        ? quotas.release(quota, granted).toCompletableFuture().exceptionally(unreachable -> false)
        : CompletableFuture.completedFuture(false);
    return givenBack.thenCompose(ignored -> lateSlotsLeft > 0
        ? withinQuota(operation, quota, send, lateSlotsLeft - 1, answerBy)
        : CompletableFuture.<FeishuOutcome>completedFuture(new FeishuOutcome.NotSent(
            settings.storeRetryWait(), "the call could not leave on time for its quota slot")));
  }

  private CompletableFuture<FeishuOutcome> send(FeishuOperation operation, QuotaStore.QuotaKey quota,
      String tenantKey, HttpUrl url, String body, TokenResult.Issued issued, boolean firstTry, long answerBy) {
    // the last moment to decide: a request that could still be under way when the caller's deadline passes stays here
    if (System.nanoTime() + settings.callTimeout().toNanos() - answerBy > 0) {
      return CompletableFuture.completedFuture(tooLate());
    }
    return timed(operation, http.post(url, issued.token().value(), body))
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
    slotTimer.shutdownNow();
    http.close();
  }
}

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

  /** How often a call counted as sent but held up past the jitter margin is counted again before its job is handed back. */
  private static final int LATE_DEPARTURES_TO_GIVE_UP = 3;
  /** How often a call whose slot the shared store took back takes another before its job is handed back. */
  private static final int SLOTS_TO_GIVE_UP = 3;

  private final QuotaStore quotas;
  private final Duration lateLimit;
  private final ScheduledExecutorService slotTimer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread timer = new Thread(r, "feishu-quota-slots");
    timer.setDaemon(true);
    return timer;
  });
  private final String app;
  private final FeishuEvents events;

  public FeishuClient(FeishuSettings settings, ObjectMapper json, Clock clock) {
    this(FeishuApps.DEFAULT, settings, json, clock, FeishuEvents.NONE,
        new LocalQuotaStore(Math.max(1, settings.quotaCalls()), settings.quotaWindow(), clock),
        new LocalTicketStore(clock));
  }

  /**
   * @param app the name this app goes by in configuration, task headers and metrics
   * @param quotas where the app's quotas are counted; shared by all apps of the worker, keyed by app id
   * @param tickets where a store app's app_ticket is kept; unused by a self-built app
   */
  public FeishuClient(String app, FeishuSettings settings, ObjectMapper json, Clock clock, FeishuEvents events,
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
    HttpUrl url = http.url(request.operation().segments(request.pathParams()));
    String body;
    try {
      body = json.writeValueAsString(request.body());
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the request body cannot be written as JSON", e);
    }
    QuotaStore.QuotaKey quota = new QuotaStore.QuotaKey(settings.appId(), request.tenantKey().orElse(""),
        request.operation().name());
    return attempt(request.operation(), quota, request.tenantKey().orElse(""), url, body, true)
        .exceptionally(failure -> new FeishuOutcome.Transient(FeishuHttp.describe(failure), ""));
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
      String tenantKey, HttpUrl url, String body, boolean firstTry) {
    return tokens.token(tenantKey).thenCompose(result -> switch (result) {
      case TokenResult.Refused refused -> CompletableFuture.completedFuture(refused.outcome());
      case TokenResult.Issued issued ->
          withinQuota(operation, quota, () -> send(operation, quota, tenantKey, url, body, issued, firstTry));
    });
  }

  private CompletableFuture<FeishuOutcome> withinQuota(FeishuOperation operation, QuotaStore.QuotaKey quota,
      Supplier<CompletableFuture<FeishuOutcome>> send) {
    if (settings.quotaCalls() == 0) return send.get();
    return reserve(new Departing(operation, quota, send, System.nanoTime() + settings.maxQuotaWait().toNanos()),
        settings.maxQuotaWait(), SLOTS_TO_GIVE_UP);
  }

  /** One call on its way through the quota; it never waits past {@code deadline}, the job's share of its timeout. */
  private record Departing(FeishuOperation operation, QuotaStore.QuotaKey quota,
      Supplier<CompletableFuture<FeishuOutcome>> send, long deadline) {
    Duration left() {
      long nanos = deadline - System.nanoTime();
      return nanos > 0 ? Duration.ofNanos(nanos) : Duration.ZERO;
    }
  }

  /** Takes a slot within {@code maxWait}: the call's longest wait, or what is left of it. */
  private CompletableFuture<FeishuOutcome> reserve(Departing call, Duration maxWait, int slotsLeft) {
    long asked = System.nanoTime();
    return quotas.reserve(call.quota(), maxWait).toCompletableFuture()
        .handle((reservation, failure) -> {
          if (failure != null) return notConsulted(failure);
          return switch (reservation) {
            case QuotaStore.Reservation.Refused refused -> {
              events.quotaRefused(app, call.operation().name());
              yield CompletableFuture.<FeishuOutcome>completedFuture(new FeishuOutcome.RateLimited(
                  refused.retryAfter(), "the app's quota of " + settings.quotaCalls() + " "
                  + call.operation().name() + " calls per " + settings.quotaWindow() + " is spent", ""));
            }
            // a slot for now was counted as sent somewhere between asking and the answer
            case QuotaStore.Reservation.Granted granted when granted.delay().isZero() ->
                leave(call, granted, asked, slotsLeft, LATE_DEPARTURES_TO_GIVE_UP);
            case QuotaStore.Reservation.Granted granted -> {
              events.quotaWaited(app, call.operation().name(), granted.delay());
              yield departAfter(call, granted, granted.delay(), slotsLeft, LATE_DEPARTURES_TO_GIVE_UP);
            }
          };
        })
        .thenCompose(next -> next);
  }

  /**
   * When the slot's time has come, the store counts the call as sent, or says how much longer the sends before it
   * require (the call left late, and so did others). On a timer thread of its own: sending only enqueues the request,
   * so calls due together leave together.
   */
  private CompletableFuture<FeishuOutcome> departAfter(Departing call, QuotaStore.Reservation.Granted granted,
      Duration wait, int slotsLeft, int lateLeft) {
    CompletableFuture<FeishuOutcome> sent = new CompletableFuture<>();
    slotTimer.schedule(() -> {
      long asked = System.nanoTime();
      quotas.depart(call.quota(), granted).toCompletableFuture()
          .handle((departure, failure) -> {
            if (failure != null) return notConsulted(failure);
            return switch (departure) {
              case QuotaStore.Departure.Go go -> leave(call, granted, asked, slotsLeft, lateLeft);
              case QuotaStore.Departure.Wait more when more.duration().compareTo(call.left()) <= 0 -> {
                events.quotaSlotMissed(app, call.operation().name(), "late");
                yield departAfter(call, granted, more.duration(), slotsLeft, lateLeft);
              }
              case QuotaStore.Departure.Wait more -> giveUp(call, granted, new FeishuOutcome.RateLimited(more.duration(),
                  "the app's quota of " + settings.quotaCalls() + " " + call.operation().name() + " calls per "
                  + settings.quotaWindow() + " is spent until later than the job can wait", ""));
              case QuotaStore.Departure.TakenBack back -> {
                events.quotaSlotMissed(app, call.operation().name(), "taken_back");
                log.debug("A {} call's quota slot was given to another replica; taking another",
                    call.operation().name());
                yield slotsLeft > 0 ? reserve(call, call.left(), slotsLeft - 1) : CompletableFuture.<FeishuOutcome>completedFuture(
                    new FeishuOutcome.NotSent(settings.storeRetryWait(), "the call's quota slots were taken back"));
              }
            };
          })
          .thenCompose(next -> next)
          .whenComplete((outcome, error) -> {
            if (error != null) sent.completeExceptionally(error);
            else sent.complete(outcome);
          });
    }, wait.toNanos(), TimeUnit.NANOSECONDS);
    return sent;
  }

  /**
   * Sends a call the store counted as sent, if it leaves within the quota's jitter margin of that count; a call held up
   * longer (a busy machine, a paused JVM, a slow store) is counted again from now, a few times at most before its job
   * is handed back, rather than sent late, which could crowd the next window.
   */
  private CompletableFuture<FeishuOutcome> leave(Departing call, QuotaStore.Reservation.Granted granted, long counted,
      int slotsLeft, int lateLeft) {
    long late = System.nanoTime() - counted;
    if (late <= lateLimit.toNanos()) return call.send().get();
    events.quotaSlotMissed(app, call.operation().name(), "late");
    log.debug("A {} call left its quota count late by {} ms; counting it again", call.operation().name(),
        late / 1_000_000);
    if (lateLeft > 0) return departAfter(call, granted, Duration.ZERO, slotsLeft, lateLeft - 1);
    return giveUp(call, granted, new FeishuOutcome.NotSent(settings.storeRetryWait(),
        "the call could not leave on time for its quota slot"));
  }

  /** Gives the slot back, so that it counts for nothing, and hands the job back with {@code outcome}. */
  private CompletableFuture<FeishuOutcome> giveUp(Departing call, QuotaStore.Reservation.Granted granted,
      FeishuOutcome outcome) {
    return quotas.release(call.quota(), granted).toCompletableFuture().exceptionally(unreachable -> false)
        .thenApply(ignored -> outcome);
  }

  private CompletableFuture<FeishuOutcome> notConsulted(Throwable failure) {
    return CompletableFuture.completedFuture(new FeishuOutcome.NotSent(settings.storeRetryWait(),
        "the shared quota could not be consulted (" + FeishuHttp.describe(failure) + "); nothing was sent to Feishu"));
  }

  private CompletableFuture<FeishuOutcome> send(FeishuOperation operation, QuotaStore.QuotaKey quota,
      String tenantKey, HttpUrl url, String body, TokenResult.Issued issued, boolean firstTry) {
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
            if (firstTry) return attempt(operation, quota, tenantKey, url, body, false);
          }
          if (verdict.outcome() instanceof FeishuOutcome.RateLimited limited && settings.quotaCalls() > 0) {
            quotas.pause(quota, limited.retryAfter());
          }
          return CompletableFuture.completedFuture(verdict.outcome());
        })
        .thenCompose(next -> next);
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

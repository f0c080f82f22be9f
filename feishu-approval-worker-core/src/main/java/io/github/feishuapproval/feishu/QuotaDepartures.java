package io.github.feishuapproval.feishu;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets an app's calls leave within its quotas: a slot is taken, the call waits for it, and when it comes the store
 * counts the call as sent, or says how much longer the sends before it need. Never waits past the call's longest
 * quota wait, so that a job never outstays its timeout in the worker.
 */
final class QuotaDepartures implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(QuotaDepartures.class);

  /** How often a call counted as sent but held up past the jitter margin is counted again before its job is handed back. */
  private static final int LATE_DEPARTURES_TO_GIVE_UP = 3;
  /** How often a call whose slot the shared store took back takes another before its job is handed back. */
  private static final int SLOTS_TO_GIVE_UP = 3;

  private final String app;
  private final FeishuSettings settings;
  private final FeishuEvents events;
  private final QuotaStore quotas;
  private final Duration lateLimit;
  private final ScheduledExecutorService slotTimer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread timer = new Thread(r, "feishu-quota-slots");
    timer.setDaemon(true);
    return timer;
  });

  QuotaDepartures(String app, FeishuSettings settings, FeishuEvents events, QuotaStore quotas) {
    this.app = app;
    this.settings = settings;
    this.events = events;
    this.quotas = quotas;
    this.lateLimit = QuotaStore.slotReuse(settings.quotaWindow()).minus(settings.quotaWindow());
  }

  /**
   * Sends through {@code send} once the quota lets the call leave, or answers why it was not sent; the call never
   * waits so long that it could not be answered by {@code answerBy} ({@link System#nanoTime()}), the job's deadline.
   */
  CompletableFuture<FeishuOutcome> within(FeishuOperation operation, QuotaStore.QuotaKey quota,
      Supplier<CompletableFuture<FeishuOutcome>> send, long answerBy) {
    if (settings.quotaCalls() == 0) return send.get();
    long now = System.nanoTime();
    // a slot is worth taking only if the call leaving on it is answered by the deadline; send() says it is too late
    long leaveBy = Math.min(now + settings.maxQuotaWait().toNanos(), answerBy - settings.callTimeout().toNanos());
    if (leaveBy - now <= 0) return send.get();
    return reserve(new Departing(operation, quota, send, leaveBy), Duration.ofNanos(leaveBy - now), SLOTS_TO_GIVE_UP);
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

  @Override
  public void close() {
    slotTimer.shutdownNow();
  }
}

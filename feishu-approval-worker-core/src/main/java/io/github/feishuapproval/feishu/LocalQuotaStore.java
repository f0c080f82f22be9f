package io.github.feishuapproval.feishu;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** The quotas of one worker process, each a {@link CallQuota}; what a single replica needs. */
final class LocalQuotaStore implements QuotaStore {

  private final int calls;
  private final Duration window;
  private final Clock clock;
  private final Map<QuotaKey, CallQuota> quotas = new ConcurrentHashMap<>();

  LocalQuotaStore(int calls, Duration window, Clock clock) {
    this.calls = calls;
    this.window = window;
    this.clock = clock;
  }

  @Override
  public CompletionStage<Reservation> reserve(QuotaKey quota, Duration maxWait) {
    return CompletableFuture.completedFuture(quota(quota).reserve(maxWait));
  }

  @Override
  public CompletionStage<Void> pause(QuotaKey quota, Duration wait) {
    quota(quota).pauseFor(wait);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Departure> depart(QuotaKey quota, Reservation.Granted granted) {
    return CompletableFuture.completedFuture(quota(quota).depart(granted.slot()));
  }

  @Override
  public CompletionStage<Boolean> release(QuotaKey quota, Reservation.Granted granted) {
    return CompletableFuture.completedFuture(quota(quota).release(granted.slot()));
  }

  private CallQuota quota(QuotaKey key) {
    return quotas.computeIfAbsent(key, k -> new CallQuota(calls, window, clock));
  }
}

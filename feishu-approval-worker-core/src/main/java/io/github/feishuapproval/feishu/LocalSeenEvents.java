package io.github.feishuapproval.feishu;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** Seen events in this process only, each lifetime in its own bounded memory, the oldest dropped first. */
public final class LocalSeenEvents implements SeenEvents {

  private final Clock clock;
  private final int capacity;
  private final Map<Duration, RecentIds> byLifetime = new ConcurrentHashMap<>();

  /** @param capacity the most ids kept for each lifetime */
  public LocalSeenEvents(Clock clock, int capacity) {
    this.clock = clock;
    this.capacity = capacity;
  }

  @Override
  public CompletionStage<Boolean> firstTime(String id, Duration lifetime) {
    RecentIds ids = byLifetime.computeIfAbsent(lifetime, keep -> new RecentIds(keep, capacity));
    return CompletableFuture.completedFuture(ids.add(id, clock.instant()));
  }

  @Override
  public CompletionStage<Boolean> seen(String id) {
    return CompletableFuture.completedFuture(byLifetime.values().stream().anyMatch(ids -> ids.contains(id,
        clock.instant())));
  }

  @Override
  public CompletionStage<Void> forget(String id) {
    byLifetime.values().forEach(ids -> ids.remove(id));
    return CompletableFuture.completedFuture(null);
  }
}

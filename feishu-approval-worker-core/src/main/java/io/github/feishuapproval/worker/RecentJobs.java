package io.github.feishuapproval.worker;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The memory of one worker process: the last {@code capacity} jobs, lost on restart and unseen by other replicas. What
 * it keeps is bounded by count rather than by time; a claim also ends when the lock it was taken for runs out.
 */
final class RecentJobs implements JobMemory {

  private record Claim(String holder, long untilNanos) {}

  private final Map<JobIdentity, Integer> failures;
  private final Map<JobIdentity, Map<String, Object>> succeeded;
  private final Map<JobIdentity, Claim> claims;

  RecentJobs(int capacity) {
    this.failures = bounded(capacity);
    this.succeeded = bounded(capacity);
    this.claims = bounded(capacity);
  }

  @Override
  public synchronized CompletionStage<Boolean> claim(JobIdentity job, String holder, Duration lockLeft) {
    long now = System.nanoTime();
    Claim held = claims.get(job);
    if (held != null && held.untilNanos() - now > 0 && !held.holder().equals(holder)) {
      return CompletableFuture.completedFuture(false);
    }
    claims.put(job, new Claim(holder, now + Math.max(lockLeft.toNanos(), 0)));
    return CompletableFuture.completedFuture(true);
  }

  @Override
  public synchronized CompletionStage<Void> release(JobIdentity job, String holder) {
    Claim held = claims.get(job);
    if (held != null && held.holder().equals(holder)) claims.remove(job);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized CompletionStage<Optional<Map<String, Object>>> completionOf(JobIdentity job) {
    return CompletableFuture.completedFuture(Optional.ofNullable(succeeded.get(job)));
  }

  @Override
  public synchronized CompletionStage<Void> rememberCompletion(JobIdentity job, Map<String, Object> variables,
      Duration keepFor) {
    failures.remove(job);
    succeeded.put(job, variables);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized CompletionStage<Integer> recordFailure(JobIdentity job, Duration keepFor) {
    return CompletableFuture.completedFuture(failures.merge(job, 1, Integer::sum));
  }

  @Override
  public synchronized CompletionStage<Void> forget(JobIdentity job) {
    failures.remove(job);
    succeeded.remove(job);
    return CompletableFuture.completedFuture(null);
  }

  private static <V> Map<JobIdentity, V> bounded(int capacity) {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<JobIdentity, V> eldest) {
        return size() > capacity;
      }
    };
  }
}

package io.github.feishuapproval.worker;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The memory of one worker process: the last {@code capacity} jobs, lost on restart and unseen by other replicas. What
 * it keeps is bounded by count rather than by time.
 */
final class RecentJobs implements JobMemory {

  private record Key(String appId, long jobKey) {}

  private final Map<Key, Integer> failures;
  private final Map<Key, Map<String, Object>> succeeded;

  RecentJobs(int capacity) {
    this.failures = bounded(capacity);
    this.succeeded = bounded(capacity);
  }

  @Override
  public synchronized CompletionStage<Optional<Map<String, Object>>> completionOf(String appId, long jobKey) {
    return CompletableFuture.completedFuture(Optional.ofNullable(succeeded.get(new Key(appId, jobKey))));
  }

  @Override
  public synchronized CompletionStage<Void> rememberCompletion(String appId, long jobKey,
      Map<String, Object> variables, Duration keepFor) {
    failures.remove(new Key(appId, jobKey));
    succeeded.put(new Key(appId, jobKey), variables);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized CompletionStage<Integer> recordFailure(String appId, long jobKey, Duration keepFor) {
    return CompletableFuture.completedFuture(failures.merge(new Key(appId, jobKey), 1, Integer::sum));
  }

  @Override
  public synchronized CompletionStage<Void> forget(String appId, long jobKey) {
    failures.remove(new Key(appId, jobKey));
    succeeded.remove(new Key(appId, jobKey));
    return CompletableFuture.completedFuture(null);
  }

  private static <V> Map<Key, V> bounded(int capacity) {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Key, V> eldest) {
        return size() > capacity;
      }
    };
  }
}

package io.github.feishuapproval.worker;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded memory of jobs this process has seen: how often each failed (for the backoff) and which ones Feishu
 * already carried out (so a job whose completion was lost is completed again without a second call).
 */
final class RecentJobs {

  private final Map<Long, Integer> failures;
  private final Map<Long, JobCommand> succeeded;

  RecentJobs(int capacity) {
    this.failures = bounded(capacity);
    this.succeeded = bounded(capacity);
  }

  synchronized int recordFailure(long jobKey) {
    return failures.merge(jobKey, 1, Integer::sum);
  }

  synchronized void rememberSuccess(long jobKey, JobCommand completion) {
    failures.remove(jobKey);
    succeeded.put(jobKey, completion);
  }

  synchronized JobCommand completionOf(long jobKey) {
    return succeeded.get(jobKey);
  }

  synchronized void forget(long jobKey) {
    failures.remove(jobKey);
    succeeded.remove(jobKey);
  }

  private static <V> Map<Long, V> bounded(int capacity) {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Long, V> eldest) {
        return size() > capacity;
      }
    };
  }
}

package io.github.feishuapproval.worker;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * What the worker remembers of the jobs it worked on: the completion of each job Feishu already carried out, so that a
 * job whose completion was lost is completed again without a second call, and how often each job failed, for its
 * backoff. Kept in this process, or in a store every replica shares. A store that cannot be reached fails the stage.
 */
public interface JobMemory {

  /** The memory of this process alone: its last {@code capacity} jobs, lost on restart. */
  static JobMemory inProcess(int capacity) {
    return new RecentJobs(capacity);
  }

  /** The variables a job was completed with after Feishu carried it out, if it was. */
  CompletionStage<Optional<Map<String, Object>>> completionOf(String appId, long jobKey);

  /** Remembers, for at least {@code keepFor}, that Feishu carried the job out; done before the completion is sent. */
  CompletionStage<Void> rememberCompletion(String appId, long jobKey, Map<String, Object> variables, Duration keepFor);

  /** Counts one more transient failure of the job and returns how many there were, this one included. */
  CompletionStage<Integer> recordFailure(String appId, long jobKey, Duration keepFor);

  /** The engine took the job's last command: nothing about it is needed any more. */
  CompletionStage<Void> forget(String appId, long jobKey);
}

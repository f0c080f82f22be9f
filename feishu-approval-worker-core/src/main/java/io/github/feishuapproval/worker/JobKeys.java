package io.github.feishuapproval.worker;

import io.camunda.client.api.response.ActivatedJob;

/**
 * The keys the engine gave a job. They stay the same while the job is retried, times out and comes back, or is taken
 * over by another replica; a new job (the element entered again) gets new ones.
 */
public record JobKeys(long elementInstanceKey, long jobKey) {

  static JobKeys of(ActivatedJob job) {
    return new JobKeys(job.getElementInstanceKey(), job.getKey());
  }

  /** The keys as one idempotency key Feishu takes: {@code <elementInstanceKey>-<jobKey>}, at most 39 characters. */
  public String reference() {
    return elementInstanceKey + "-" + jobKey;
  }
}

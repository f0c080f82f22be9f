package io.github.feishuapproval.worker;

import io.camunda.client.api.response.ActivatedJob;

/**
 * One job as the memory of jobs knows it: the Feishu app it acts as and the keys the engine gave it. The process and
 * element instance keys go with the job key, so that two Camunda clusters whose key sequences meet on one store do not
 * take each other's jobs for their own; a key prefix per cluster (feishu.store.key-prefix) keeps them fully apart.
 */
public record JobIdentity(String appId, long jobKey, long processInstanceKey, long elementInstanceKey) {

  static JobIdentity of(String appId, ActivatedJob job) {
    return new JobIdentity(appId, job.getKey(), job.getProcessInstanceKey(), job.getElementInstanceKey());
  }
}

package io.github.feishuapproval.worker;

/** What the workers report about jobs, for metrics. Implementations must be quick and must not throw. */
public interface JobEvents {

  JobEvents NONE = (jobType, outcome) -> { };

  /** @param outcome completed, bpmn_error, failed (it comes back) or incident */
  void jobAnswered(String jobType, String outcome);
}

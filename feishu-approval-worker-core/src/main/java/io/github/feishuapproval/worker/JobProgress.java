package io.github.feishuapproval.worker;

import io.github.feishuapproval.feishu.FeishuOutcome;
import java.util.Optional;

/**
 * How far one job got, for the step that answers it when something unforeseen broke: what it was doing, whether its
 * call left, what Feishu answered, and the claim to release. Written by whichever thread moves the job on.
 */
final class JobProgress {

  private volatile String step = "starting";
  private volatile boolean callLeft;
  private volatile FeishuOutcome outcome;
  private volatile JobIdentity claimedJob;
  private volatile String holder;

  void step(String now) {
    step = now;
  }

  String step() {
    return step;
  }

  void claimed(JobIdentity job, String by) {
    claimedJob = job;
    holder = by;
  }

  JobIdentity claimedJob() {
    return claimedJob;
  }

  String holder() {
    return holder;
  }

  void callLeft() {
    callLeft = true;
  }

  boolean callLeftYet() {
    return callLeft;
  }

  void answered(FeishuOutcome answer) {
    outcome = answer;
  }

  Optional<FeishuOutcome> outcome() {
    return Optional.ofNullable(outcome);
  }

  /** Whether no call of this job can still be under way: it never left, or Feishu has answered it. */
  boolean callOver() {
    return !callLeft || outcome != null;
  }
}

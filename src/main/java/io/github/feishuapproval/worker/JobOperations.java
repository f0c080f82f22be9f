package io.github.feishuapproval.worker;

import io.github.feishuapproval.feishu.FeishuOperation;
import java.util.List;

/** The job types this worker serves. */
public final class JobOperations {

  /** Feishu documents no limit for opinions; this bounds what a runaway expression can send. */
  public static final int MAX_OPINION_LENGTH = 4096;

  public static final JobOperation REJECT = new JobOperation(
      "feishu-approval-reject",
      FeishuOperation.REJECT_APPROVAL_TASK,
      List.of(
          InputField.pathId("approvalTaskId", "approval_task_id"),
          InputField.requiredId("userId", "user_id"),
          InputField.optionalText("opinion", "opinion", MAX_OPINION_LENGTH)));

  public static final List<JobOperation> ALL = List.of(REJECT);

  private JobOperations() {}
}

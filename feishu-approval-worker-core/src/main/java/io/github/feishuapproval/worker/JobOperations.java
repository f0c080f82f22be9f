package io.github.feishuapproval.worker;

import io.github.feishuapproval.feishu.FeishuOperation;
import java.util.List;

/** The job types this worker serves. */
public final class JobOperations {

  /** Feishu documents no limit for opinions; this bounds what a runaway expression can send. */
  public static final int MAX_OPINION_LENGTH = 4096;

  /** Feishu's limit for every user-id list of the approval-task APIs. */
  public static final int MAX_USERS = 20;

  private static final SuccessVariables ACTION = new SuccessVariables.ActionResult();

  public static final JobOperation REJECT =
      taskAction("feishu-approval-reject", FeishuOperation.REJECT_APPROVAL_TASK);

  public static final JobOperation AGREE =
      taskAction("feishu-approval-agree", FeishuOperation.AGREE_APPROVAL_TASK);

  public static final JobOperation TRANSFER =
      taskAction("feishu-approval-transfer", FeishuOperation.TRANSFER_APPROVAL_TASK,
          InputField.optionalIdList("fromUserIds", "from_user_ids", MAX_USERS),
          InputField.optionalIdList("toUserIds", "to_user_ids", MAX_USERS));

  public static final JobOperation ADD_ASSIGNEE =
      taskAction("feishu-approval-add-assignee", FeishuOperation.ADD_ASSIGNEE,
          InputField.optionalIdList("approvers", "approvers", MAX_USERS),
          InputField.optionalOneOf("addAssigneeType", "add_assignee_type", "currentAndAddAssign", "afterAndAddAssign"));

  public static final JobOperation CANCEL_INSTANCE = new JobOperation("feishu-approval-instance-cancel",
      FeishuOperation.CANCEL_APPROVAL_INSTANCE,
      List.of(
          InputField.pathId("approvalInstanceId", "approval_instance_id"),
          InputField.requiredId("userId", "user_id"),
          InputField.requiredText("opinion", "opinion", MAX_OPINION_LENGTH),
          InputField.tenantKey()),
      ACTION);

  public static final JobOperation QUERY_USER_TASKS = new JobOperation("feishu-user-task-query",
      FeishuOperation.QUERY_USER_TASKS,
      List.of(
          InputField.requiredId("kunlunUserId", "kunlun_user_id"),
          InputField.optionalOneOf("type", "type", "pending", "archived"),
          InputField.optionalOneOf("source", "source", "fromMe", "assignMe", "CCMe"),
          InputField.optionalNumber("limit", "limit", 1, 50),
          InputField.optionalNumber("offset", "offset", 0, Integer.MAX_VALUE),
          InputField.optionalNumber("startTime", "start_time", 0, Long.MAX_VALUE),
          InputField.optionalNumber("endTime", "end_time", 0, Long.MAX_VALUE),
          InputField.optionalIdList("apiIds", "api_ids", 100),
          InputField.tenantKey()),
      new SuccessVariables.DataList("tasks", "userTasks"));

  public static final List<JobOperation> ALL = java.util.stream.Stream.of(
      List.of(REJECT, AGREE, TRANSFER, ADD_ASSIGNEE, CANCEL_INSTANCE, QUERY_USER_TASKS),
      // Feishu Approval (审批 v4)
      ApprovalV4Operations.ALL)
      .flatMap(List::stream).toList();

  private JobOperations() {}

  /** An action on one approval task: the task id in the path, the acting user, any further fields, an opinion. */
  private static JobOperation taskAction(String jobType, FeishuOperation feishu, InputField... further) {
    List<InputField> fields = new java.util.ArrayList<>();
    fields.add(InputField.pathId("approvalTaskId", "approval_task_id"));
    fields.add(InputField.requiredId("userId", "user_id"));
    fields.addAll(List.of(further));
    fields.add(InputField.optionalText("opinion", "opinion", MAX_OPINION_LENGTH));
    fields.add(InputField.tenantKey());
    return new JobOperation(jobType, feishu, fields, ACTION);
  }
}

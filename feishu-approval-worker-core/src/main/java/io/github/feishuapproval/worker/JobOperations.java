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

  /** Feishu documents no limit for a flow's inputs; this bounds what a runaway expression can send. */
  public static final int MAX_FLOW_PARAMS_LENGTH = 65_536;

  /** Feishu's limit for the users a task is copied to. */
  public static final int MAX_CC_USERS = 10;

  /** Feishu documents no limit for a chat's name; this bounds what a runaway expression can send. */
  public static final int MAX_CHAT_NAME_LENGTH = 256;

  public static final JobOperation EXECUTE_FLOW = new JobOperation("feishu-apaas-flow-execute",
      FeishuOperation.EXECUTE_FLOW,
      List.of(
          InputField.pathId("namespace", "namespace"),
          InputField.pathId("flowId", "flow_id"),
          InputField.assembled(FlowExecutionBody.OPERATOR_USER_ID, new FieldType.WholeNumber(1, Long.MAX_VALUE)),
          InputField.assembled(FlowExecutionBody.OPERATOR_EMAIL, new FieldType.Email()),
          InputField.optionalJsonObject("params", "params", MAX_FLOW_PARAMS_LENGTH),
          InputField.optionalFlag("isAsync", "is_async"),
          InputField.optionalIdList("loopMasks", "loop_masks", 100),
          InputField.assembled(FlowExecutionBody.IDEMPOTENT_KEY, new FieldType.PathId())),
      new SuccessVariables.FlowExecution("flowExecution"), new FlowExecutionBody(), false);

  public static final JobOperation EXPEDITE_USER_TASK = userTaskAction("feishu-apaas-user-task-expedite",
      FeishuOperation.EXPEDITE_USER_TASK, ACTION,
      InputField.requiredIdList("expeditingUserIds", "expediting_user_ids", MAX_USERS),
      InputField.optionalText("opinion", "opinion", MAX_OPINION_LENGTH));

  public static final JobOperation ROLLBACK_USER_TASK = userTaskAction("feishu-apaas-user-task-rollback",
      FeishuOperation.ROLLBACK_USER_TASK, ACTION,
      InputField.requiredId("toTaskId", "to_task_id"),
      InputField.requiredText("opinion", "opinion", MAX_OPINION_LENGTH));

  public static final JobOperation USER_TASK_ROLLBACK_POINTS = userTaskAction(
      "feishu-apaas-user-task-rollback-points", FeishuOperation.USER_TASK_ROLLBACK_POINTS,
      new SuccessVariables.DataList("tasks", "rollbackPoints"));

  public static final JobOperation CC_USER_TASK = userTaskAction("feishu-apaas-user-task-cc",
      FeishuOperation.CC_USER_TASK, ACTION,
      InputField.requiredIdList("ccUserIds", "cc_user_ids", MAX_CC_USERS));

  public static final JobOperation USER_TASK_CHAT_GROUP = userTaskAction("feishu-apaas-user-task-chat-group",
      FeishuOperation.USER_TASK_CHAT_GROUP, new SuccessVariables.DataText("chat_id", "groupChatId"),
      InputField.optionalNonEmptyIdList("inviteUserIds", "invite_user_ids", MAX_USERS),
      InputField.optionalToken("chatId", "chat_id"),
      InputField.optionalText("chatName", "chat_name", MAX_CHAT_NAME_LENGTH));

  public static final List<JobOperation> ALL = java.util.stream.Stream.of(
      List.of(REJECT, AGREE, TRANSFER, ADD_ASSIGNEE, CANCEL_INSTANCE, QUERY_USER_TASKS),
      // aPaaS flows and user tasks
      List.of(EXECUTE_FLOW, EXPEDITE_USER_TASK, ROLLBACK_USER_TASK, USER_TASK_ROLLBACK_POINTS, CC_USER_TASK,
          USER_TASK_CHAT_GROUP),
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

  /**
   * An action on one aPaaS user task, which Feishu offers to self-built apps only: the task id in the path, the
   * operator, any further fields.
   */
  private static JobOperation userTaskAction(String jobType, FeishuOperation feishu, SuccessVariables onSuccess,
      InputField... further) {
    List<InputField> fields = new java.util.ArrayList<>();
    fields.add(InputField.pathId("userTaskId", "task_id"));
    fields.add(InputField.requiredId("operatorUserId", "operator_user_id"));
    fields.addAll(List.of(further));
    return new JobOperation(jobType, feishu, fields, onSuccess, BodyAssembly.NONE, false);
  }
}

package io.github.feishuapproval.worker;

import static io.github.feishuapproval.worker.JobOperations.MAX_OPINION_LENGTH;

import io.github.feishuapproval.feishu.ApprovalInstanceCreation;
import io.github.feishuapproval.feishu.FeishuClient;
import io.github.feishuapproval.feishu.FeishuOperation;
import java.util.ArrayList;
import java.util.List;

/** The job types of Feishu Approval (审批 v4): instances of an approval definition and their tasks. */
public final class ApprovalV4Operations {

  /** This worker's bound for every user-id list of these APIs (Feishu documents none). */
  public static final int MAX_USERS = 20;
  /** This worker's bound for an instance title (Feishu documents none). */
  public static final int MAX_TITLE_LENGTH = 1000;

  private static final SuccessVariables ACTION = new SuccessVariables.ActionResult();

  public static final JobOperation CREATE_INSTANCE = new JobOperation("feishu-approval-v4-instance-create",
      FeishuOperation.V4_CREATE_INSTANCE,
      List.of(
          InputField.requiredId("approvalCode", "approval_code"),
          InputField.optionalId("userId", "user_id"),
          InputField.optionalId("openId", "open_id"),
          InputField.optionalId("departmentId", "department_id"),
          InputField.form("form", "form", true),
          InputField.optionalText("title", "title", MAX_TITLE_LENGTH),
          InputField.nodeUsers("nodeApproverUserIds", "node_approver_user_id_list"),
          InputField.nodeUsers("nodeApproverOpenIds", "node_approver_open_id_list"),
          InputField.nodeUsers("nodeCcUserIds", "node_cc_user_id_list"),
          InputField.nodeUsers("nodeCcOpenIds", "node_cc_open_id_list"),
          InputField.creationUuid(),
          InputField.tenantKey()),
      new SuccessVariables.CreatedInstance("approvalInstance"),
      ApprovalInstanceCreation::create,
      List.of(List.of("userId", "openId")));

  public static final JobOperation GET_INSTANCE = new JobOperation("feishu-approval-v4-instance-get",
      FeishuOperation.V4_GET_INSTANCE,
      List.of(
          InputField.pathId("instanceCode", "instance_id"),
          InputField.userIdType(),
          InputField.tenantKey()),
      new SuccessVariables.InstanceDetail("approvalInstanceDetail"),
      FeishuClient::call,
      List.of());

  public static final JobOperation APPROVE_TASK = taskAction("feishu-approval-v4-task-approve",
      FeishuOperation.V4_APPROVE_TASK, InputField.form("form", "form", false));

  public static final JobOperation REJECT_TASK = taskAction("feishu-approval-v4-task-reject",
      FeishuOperation.V4_REJECT_TASK, InputField.form("form", "form", false));

  public static final JobOperation TRANSFER_TASK = taskAction("feishu-approval-v4-task-transfer",
      FeishuOperation.V4_TRANSFER_TASK, InputField.requiredId("transferUserId", "transfer_user_id"));

  public static final JobOperation RESUBMIT_TASK = taskAction("feishu-approval-v4-task-resubmit",
      FeishuOperation.V4_RESUBMIT_TASK, InputField.form("form", "form", true));

  public static final JobOperation CANCEL_INSTANCE = new JobOperation("feishu-approval-v4-instance-cancel",
      FeishuOperation.V4_CANCEL_INSTANCE,
      List.of(
          InputField.requiredId("approvalCode", "approval_code"),
          InputField.requiredId("instanceCode", "instance_code"),
          InputField.requiredId("userId", "user_id"),
          InputField.userIdType(),
          InputField.tenantKey()),
      ACTION);

  public static final JobOperation CC_INSTANCE = new JobOperation("feishu-approval-v4-instance-cc",
      FeishuOperation.V4_CC_INSTANCE,
      List.of(
          InputField.requiredId("approvalCode", "approval_code"),
          InputField.requiredId("instanceCode", "instance_code"),
          InputField.requiredId("userId", "user_id"),
          InputField.requiredIdList("ccUserIds", "cc_user_ids", MAX_USERS),
          InputField.optionalText("comment", "comment", MAX_OPINION_LENGTH),
          InputField.userIdType(),
          InputField.tenantKey()),
      ACTION);

  /** Feishu's add_sign takes user_id-type ids only: it has no user_id_type parameter. */
  public static final JobOperation ADD_SIGN = new JobOperation("feishu-approval-v4-instance-add-sign",
      FeishuOperation.V4_ADD_SIGN,
      List.of(
          InputField.requiredId("approvalCode", "approval_code"),
          InputField.requiredId("instanceCode", "instance_code"),
          InputField.requiredId("userId", "user_id"),
          InputField.requiredId("taskId", "task_id"),
          InputField.requiredIdList("addSignUserIds", "add_sign_user_ids", MAX_USERS),
          InputField.numberChoice("addSignType", "add_sign_type", true, 1, 2, 3),
          InputField.numberChoice("approvalMethod", "approval_method", false, 1, 2),
          InputField.optionalText("comment", "comment", MAX_OPINION_LENGTH),
          InputField.tenantKey()),
      ACTION);

  public static final JobOperation ROLLBACK = new JobOperation("feishu-approval-v4-instance-rollback",
      FeishuOperation.V4_ROLLBACK,
      List.of(
          InputField.requiredId("userId", "user_id"),
          InputField.requiredId("taskId", "task_id"),
          InputField.optionalText("reason", "reason", MAX_OPINION_LENGTH),
          InputField.requiredIdList("taskDefKeys", "task_def_key_list", MAX_USERS),
          InputField.userIdType(),
          InputField.tenantKey()),
      ACTION);

  public static final List<JobOperation> ALL = List.of(CREATE_INSTANCE, GET_INSTANCE, APPROVE_TASK, REJECT_TASK,
      TRANSFER_TASK, RESUBMIT_TASK, CANCEL_INSTANCE, CC_INSTANCE, ADD_SIGN, ROLLBACK);

  private ApprovalV4Operations() {}

  /** An action on one task of an instance: the four ids Feishu wants, any further fields, a comment. */
  private static JobOperation taskAction(String jobType, FeishuOperation feishu, InputField... further) {
    List<InputField> fields = new ArrayList<>();
    fields.add(InputField.requiredId("approvalCode", "approval_code"));
    fields.add(InputField.requiredId("instanceCode", "instance_code"));
    fields.add(InputField.requiredId("userId", "user_id"));
    fields.add(InputField.requiredId("taskId", "task_id"));
    fields.add(InputField.optionalText("comment", "comment", MAX_OPINION_LENGTH));
    fields.addAll(List.of(further));
    fields.add(InputField.userIdType());
    fields.add(InputField.tenantKey());
    return new JobOperation(jobType, feishu, fields, ACTION);
  }
}

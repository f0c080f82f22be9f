package io.github.feishuapproval.feishu;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One Feishu endpoint: a name for logs and metrics and a path whose {@code {placeholders}} are filled from ids.
 * Placeholders accept only {@code [0-9A-Za-z_-]}, so no value can change the request path.
 */
public record FeishuOperation(String name, String pathTemplate, Method method) {

  public static final Pattern PATH_ID = Pattern.compile("[0-9A-Za-z_-]{1,128}");

  /** GET sends no body; every field of the request goes into the path or the query. */
  public enum Method { POST, GET }

  /** A POST, as most of Feishu's server API is. */
  public FeishuOperation(String name, String pathTemplate) {
    this(name, pathTemplate, Method.POST);
  }

  public static final FeishuOperation REJECT_APPROVAL_TASK =
      new FeishuOperation("reject", "open-apis/apaas/v1/approval_tasks/{approval_task_id}/reject");
  public static final FeishuOperation AGREE_APPROVAL_TASK =
      new FeishuOperation("agree", "open-apis/apaas/v1/approval_tasks/{approval_task_id}/agree");
  public static final FeishuOperation TRANSFER_APPROVAL_TASK =
      new FeishuOperation("transfer", "open-apis/apaas/v1/approval_tasks/{approval_task_id}/transfer");
  public static final FeishuOperation ADD_ASSIGNEE =
      new FeishuOperation("add_assignee", "open-apis/apaas/v1/approval_tasks/{approval_task_id}/add_assignee");
  public static final FeishuOperation CANCEL_APPROVAL_INSTANCE =
      new FeishuOperation("cancel_instance", "open-apis/apaas/v1/approval_instances/{approval_instance_id}/cancel");
  public static final FeishuOperation QUERY_USER_TASKS =
      new FeishuOperation("query_user_tasks", "open-apis/apaas/v1/user_task/query");
  public static final FeishuOperation EXECUTE_FLOW =
      new FeishuOperation("execute_flow", "open-apis/apaas/v1/applications/{namespace}/flows/{flow_id}/execute");
  public static final FeishuOperation EXPEDITE_USER_TASK =
      new FeishuOperation("expedite_user_task", "open-apis/apaas/v1/user_tasks/{task_id}/expediting");
  public static final FeishuOperation ROLLBACK_USER_TASK =
      new FeishuOperation("rollback_user_task", "open-apis/apaas/v1/user_tasks/{task_id}/rollback");
  public static final FeishuOperation USER_TASK_ROLLBACK_POINTS =
      new FeishuOperation("user_task_rollback_points", "open-apis/apaas/v1/user_tasks/{task_id}/rollback_points");
  public static final FeishuOperation CC_USER_TASK =
      new FeishuOperation("cc_user_task", "open-apis/apaas/v1/user_tasks/{task_id}/cc");
  public static final FeishuOperation USER_TASK_CHAT_GROUP =
      new FeishuOperation("user_task_chat_group", "open-apis/apaas/v1/user_tasks/{task_id}/chat_group");

  // Feishu Approval (审批 v4): the definitions' instances and their tasks; the ids go in the body or the query
  public static final FeishuOperation V4_CREATE_INSTANCE =
      new FeishuOperation("v4_create_instance", "open-apis/approval/v4/instances");
  public static final FeishuOperation V4_GET_INSTANCE =
      new FeishuOperation("v4_get_instance", "open-apis/approval/v4/instances/{instance_id}", Method.GET);
  public static final FeishuOperation V4_APPROVE_TASK =
      new FeishuOperation("v4_approve_task", "open-apis/approval/v4/tasks/approve");
  public static final FeishuOperation V4_REJECT_TASK =
      new FeishuOperation("v4_reject_task", "open-apis/approval/v4/tasks/reject");
  public static final FeishuOperation V4_TRANSFER_TASK =
      new FeishuOperation("v4_transfer_task", "open-apis/approval/v4/tasks/transfer");
  public static final FeishuOperation V4_RESUBMIT_TASK =
      new FeishuOperation("v4_resubmit_task", "open-apis/approval/v4/tasks/resubmit");
  public static final FeishuOperation V4_CANCEL_INSTANCE =
      new FeishuOperation("v4_cancel_instance", "open-apis/approval/v4/instances/cancel");
  public static final FeishuOperation V4_CC_INSTANCE =
      new FeishuOperation("v4_cc_instance", "open-apis/approval/v4/instances/cc");
  public static final FeishuOperation V4_ADD_SIGN =
      new FeishuOperation("v4_add_sign", "open-apis/approval/v4/instances/add_sign");
  public static final FeishuOperation V4_SUBSCRIBE =
      new FeishuOperation("v4_subscribe", "open-apis/approval/v4/approvals/{approval_code}/subscribe");
  public static final FeishuOperation V4_ROLLBACK =
      new FeishuOperation("v4_specified_rollback", "open-apis/approval/v4/instances/specified_rollback");

  List<String> segments(Map<String, String> pathParams) {
    List<String> segments = new ArrayList<>();
    for (String part : pathTemplate.split("/")) {
      if (part.startsWith("{") && part.endsWith("}")) {
        String name = part.substring(1, part.length() - 1);
        String value = pathParams.get(name);
        if (value == null || !PATH_ID.matcher(value).matches()) {
          throw new IllegalArgumentException("path parameter " + name + " must match " + PATH_ID.pattern());
        }
        segments.add(value);
      } else {
        segments.add(part);
      }
    }
    return segments;
  }
}

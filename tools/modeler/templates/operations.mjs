// The operations, in the order the README lists them.
import addAssignee from './add-assignee.mjs';
import agree from './agree.mjs';
import flowExecute from './flow-execute.mjs';
import instanceCancel from './instance-cancel.mjs';
import reject from './reject.mjs';
import transfer from './transfer.mjs';
import userTaskCc from './user-task-cc.mjs';
import userTaskChatGroup from './user-task-chat-group.mjs';
import userTaskExpedite from './user-task-expedite.mjs';
import userTaskQuery from './user-task-query.mjs';
import userTaskRollback from './user-task-rollback.mjs';
import userTaskRollbackPoints from './user-task-rollback-points.mjs';

// Feishu Approval (审批 v4)
import { approvalV4 } from './approval-v4.mjs';

export const operations = [
  reject, agree, transfer, addAssignee, instanceCancel, userTaskQuery, flowExecute, userTaskExpedite,
  userTaskRollback, userTaskRollbackPoints, userTaskCc, userTaskChatGroup,
  ...approvalV4
];

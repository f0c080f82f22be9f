// The six operations, in the order the README lists them.
import addAssignee from './add-assignee.mjs';
import agree from './agree.mjs';
import instanceCancel from './instance-cancel.mjs';
import reject from './reject.mjs';
import transfer from './transfer.mjs';
import userTaskQuery from './user-task-query.mjs';

// Feishu Approval (审批 v4)
import { approvalV4 } from './approval-v4.mjs';

export const operations = [
  reject, agree, transfer, addAssignee, instanceCancel, userTaskQuery,
  ...approvalV4
];

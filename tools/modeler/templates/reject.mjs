// Feishu's "拒绝人工任务": POST /open-apis/apaas/v1/approval_tasks/{approval_task_id}/reject
import { opinion, pathId, userId } from './fields.mjs';

export default {
  name: 'reject',
  jobType: 'feishu-approval-reject',
  version: 2,
  title: 'Feishu: Reject approval task',
  description: 'Rejects a Feishu aPaaS approval task (人工任务) on behalf of one of its approvers. A Feishu error '
    + 'such as 2320001 becomes a BPMN error with that code. For Camunda 8.8 and newer.',
  anchor: 'reject-approval-task',
  keywords: [ 'approval', 'reject', '拒绝' ],
  group: { id: 'approval', label: 'Approval task' },
  fields: [
    pathId({
      id: 'approvalTaskId',
      label: 'Approval task ID',
      description: 'The approval task to reject, e.g. <code>1785996265147777</code>, or '
        + '<code>=approvalTaskId</code> to take it from a process variable.',
      tooltip: 'The aPaaS approval task (人工任务) ID, as Feishu lists it for the approval instance. The event or '
        + 'the earlier step that brought this process to the task usually carries it.'
    }),
    userId({
      label: 'Rejecting user ID',
      description: 'The approver who rejects the task, as an aPaaS (kunlun) user ID, e.g. '
        + '<code>1783981209205788</code>.'
    }),
    opinion({
      description: 'Why the task is rejected, shown in Feishu as the approver\'s comment, e.g. '
        + '<code>超时自动拒绝</code>. Empty: the task is rejected without a comment.',
      tooltip: 'Plain text, or a FEEL expression starting with =. At most 4096 characters.'
    })
  ],
  result: {
    description: 'Stores Feishu\'s answer as <code>{code, msg, logId}</code> under this name, e.g. '
      + '<code>rejectResult</code>. Empty: nothing is stored.',
    tooltip: 'The log ID is what Feishu support asks for. A Feishu error never reaches this variable: it is thrown '
      + 'as a BPMN error (see Errors and retries).'
  },
  // a white cross on red
  icon: `
<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16"><rect x="0.5" y="0.5" width="15" height="15" rx="3" fill="#E5332E"/><path d="M5 5l6 6M11 5l-6 6" fill="none" stroke="#fff" stroke-width="2" stroke-linecap="round"/></svg>`
};

// Feishu's "同意人工任务": POST /open-apis/apaas/v1/approval_tasks/{approval_task_id}/agree
import { opinion, pathId, userId } from './fields.mjs';

export default {
  name: 'agree',
  jobType: 'feishu-approval-agree',
  version: 2,
  title: 'Feishu: Agree approval task',
  description: 'Approves a Feishu aPaaS approval task (人工任务) on behalf of one of its approvers. A Feishu error '
    + 'such as 2320001 becomes a BPMN error with that code. For Camunda 8.8 and newer.',
  anchor: 'agree-approval-task',
  keywords: [ 'approval', 'agree', 'approve', '同意' ],
  group: { id: 'approval', label: 'Approval task' },
  fields: [
    pathId({
      id: 'approvalTaskId',
      label: 'Approval task ID',
      description: 'The approval task to approve, e.g. <code>1785996265147777</code>, or '
        + '<code>=approvalTaskId</code> to take it from a process variable.',
      tooltip: 'The aPaaS approval task (人工任务) ID, as Feishu lists it for the approval instance. The event or '
        + 'the earlier step that brought this process to the task usually carries it.'
    }),
    userId({
      label: 'Approving user ID',
      description: 'The approver who approves the task, as an aPaaS (kunlun) user ID, e.g. '
        + '<code>1783981209205788</code>.'
    }),
    opinion({
      description: 'A comment Feishu shows with the approval, e.g. <code>同意，预算已确认</code>. Empty: the task '
        + 'is approved without a comment.',
      tooltip: 'Plain text, or a FEEL expression starting with =. At most 4096 characters.'
    })
  ],
  result: {
    description: 'Stores Feishu\'s answer as <code>{code, msg, logId}</code> under this name, e.g. '
      + '<code>agreeResult</code>. Empty: nothing is stored.',
    tooltip: 'The log ID is what Feishu support asks for. A Feishu error never reaches this variable: it is thrown '
      + 'as a BPMN error (see Errors and retries).'
  },
  // a white check mark on green
  icon: `
<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16"><rect x="0.5" y="0.5" width="15" height="15" rx="3" fill="#23A41B"/><path d="M3.8 8.3l2.7 2.7 5.7-5.9" fill="none" stroke="#fff" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/></svg>`
};

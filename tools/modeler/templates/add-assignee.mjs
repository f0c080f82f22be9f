// Feishu's "人工任务加签": POST /open-apis/apaas/v1/approval_tasks/{approval_task_id}/add_assignee
import { choice, idList, opinion, pathId, userId } from './fields.mjs';

export default {
  name: 'add-assignee',
  jobType: 'feishu-approval-add-assignee',
  version: 2,
  title: 'Feishu: Add approvers to approval task',
  description: 'Adds approvers to a Feishu aPaaS approval task (人工任务, 加签) on behalf of one of its approvers. '
    + 'A Feishu error such as 2320001 becomes a BPMN error with that code. For Camunda 8.8 and newer.',
  anchor: 'add-approvers-to-approval-task',
  keywords: [ 'approval', 'add assignee', 'add approvers', '加签' ],
  group: { id: 'approval', label: 'Approval task' },
  fields: [
    pathId({
      id: 'approvalTaskId',
      label: 'Approval task ID',
      description: 'The approval task that gets more approvers, e.g. <code>1785996265147777</code>, or '
        + '<code>=approvalTaskId</code> to take it from a process variable.',
      tooltip: 'The aPaaS approval task (人工任务) ID, as Feishu lists it for the approval instance. The event or '
        + 'the earlier step that brought this process to the task usually carries it.'
    }),
    userId({
      label: 'Acting user ID',
      description: 'The approver who adds the others, as an aPaaS (kunlun) user ID, e.g. '
        + '<code>1783981209205788</code>.'
    }),
    idList({
      id: 'approvers',
      label: 'Approvers to add',
      description: 'A list of up to 20 aPaaS user IDs, e.g. <code>["1783981209205999", "1783981209205111"]</code>. '
        + 'Empty: the list is not sent.',
      tooltip: 'Type the list without a leading =: this field is a FEEL expression already. Each entry is a string of '
        + 'digits or a number; a process variable holding such a list works too.'
    }),
    choice({
      id: 'addAssigneeType',
      label: 'When the added approvers decide',
      description: 'Together with the current approvers, or after them.',
      tooltip: 'Feishu\'s add_assignee_type: currentAndAddAssign (together) or afterAndAddAssign (after).',
      value: 'currentAndAddAssign',
      optional: false,
      choices: [
        { name: 'Together with the current approvers', value: 'currentAndAddAssign' },
        { name: 'After the current approvers', value: 'afterAndAddAssign' }
      ]
    }),
    opinion({
      description: 'A comment Feishu shows with the added approvers, e.g. <code>请财务加签</code>. Empty: no '
        + 'comment.',
      tooltip: 'Plain text, or a FEEL expression starting with =. At most 4096 characters.'
    })
  ],
  result: {
    description: 'Stores Feishu\'s answer as <code>{code, msg, logId}</code> under this name, e.g. '
      + '<code>addApproversResult</code>. Empty: nothing is stored.',
    tooltip: 'The log ID is what Feishu support asks for. A Feishu error never reaches this variable: it is thrown '
      + 'as a BPMN error (see Errors and retries).'
  },
  // a person and a plus, white on purple
  icon: `
<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16"><rect x="0.5" y="0.5" width="15" height="15" rx="3" fill="#7F3BF5"/><circle cx="6" cy="5.3" r="2.1" fill="#fff"/><path d="M2.4 12.8a3.6 3.6 0 0 1 7.2 0z" fill="#fff"/><path d="M12.2 6.2v5M9.7 8.7h5" fill="none" stroke="#fff" stroke-width="1.7" stroke-linecap="round"/></svg>`
};

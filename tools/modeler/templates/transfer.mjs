// Feishu's "转交人工任务": POST /open-apis/apaas/v1/approval_tasks/{approval_task_id}/transfer
import { idList, opinion, pathId, userId } from './fields.mjs';

const listTooltip = 'Type the list without a leading =: this field is a FEEL expression already. Each entry is a '
  + 'string of digits or a number; a process variable holding such a list works too.';

export default {
  name: 'transfer',
  jobType: 'feishu-approval-transfer',
  version: 2,
  title: 'Feishu: Transfer approval task',
  description: 'Hands a Feishu aPaaS approval task (人工任务) from some approvers over to others, on behalf of a '
    + 'user. A Feishu error such as 2320001 becomes a BPMN error with that code. For Camunda 8.8 and newer.',
  anchor: 'transfer-approval-task',
  keywords: [ 'approval', 'transfer', 'hand over', '转交' ],
  group: { id: 'approval', label: 'Approval task' },
  fields: [
    pathId({
      id: 'approvalTaskId',
      label: 'Approval task ID',
      description: 'The approval task to hand over, e.g. <code>1785996265147777</code>, or '
        + '<code>=approvalTaskId</code> to take it from a process variable.',
      tooltip: 'The aPaaS approval task (人工任务) ID, as Feishu lists it for the approval instance. The event or '
        + 'the earlier step that brought this process to the task usually carries it.'
    }),
    userId({
      label: 'Acting user ID',
      description: 'The user who hands the task over, as an aPaaS (kunlun) user ID, e.g. '
        + '<code>1783981209205788</code>.'
    }),
    idList({
      id: 'fromUserIds',
      label: 'From user IDs',
      description: 'The approvers who give the task away: a list of up to 20 aPaaS user IDs, e.g. '
        + '<code>["1783981209205788"]</code>. Empty: the list is not sent.',
      tooltip: listTooltip
    }),
    idList({
      id: 'toUserIds',
      label: 'To user IDs',
      description: 'The approvers who take the task over: a list of up to 20 aPaaS user IDs, e.g. '
        + '<code>["1783981209205999", "1783981209205111"]</code>. Empty: the list is not sent.',
      tooltip: listTooltip
    }),
    opinion({
      description: 'A comment Feishu shows with the handover, e.g. <code>出差期间转交</code>. Empty: no comment.',
      tooltip: 'Plain text, or a FEEL expression starting with =. At most 4096 characters.'
    })
  ],
  result: {
    description: 'Stores Feishu\'s answer as <code>{code, msg, logId}</code> under this name, e.g. '
      + '<code>transferResult</code>. Empty: nothing is stored.',
    tooltip: 'The log ID is what Feishu support asks for. A Feishu error never reaches this variable: it is thrown '
      + 'as a BPMN error (see Errors and retries).'
  },
  // an arrow towards a person, white on blue
  icon: `
<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16"><rect x="0.5" y="0.5" width="15" height="15" rx="3" fill="#3370FF"/><circle cx="11.3" cy="5.2" r="1.9" fill="#fff"/><path d="M8.2 12.6a3.1 3.1 0 0 1 6.2 0z" fill="#fff"/><path d="M2.6 8.6h4.6M5.4 6.5l2.1 2.1-2.1 2.1" fill="none" stroke="#fff" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round"/></svg>`
};

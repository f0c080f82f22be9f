// Feishu's "抄送人工任务": POST /open-apis/apaas/v1/user_tasks/{task_id}/cc
import { idList } from './fields.mjs';
import { ACTION_RESULT_TOOLTIP, LIST_TOOLTIP, operatorUserId, userTaskId } from './user-task-fields.mjs';

export default {
  name: 'user-task-cc',
  jobType: 'feishu-apaas-user-task-cc',
  version: 1,
  storeApps: false,
  title: 'Feishu: Send a copy of a user task',
  description: 'Sends a copy (抄送) of a Feishu aPaaS user task to up to 10 users, on behalf of a user. A Feishu '
    + 'error such as 2320001 becomes a BPMN error with that code. Self-built apps only. For Camunda 8.8 and newer.',
  anchor: 'send-a-copy-of-a-user-task',
  keywords: [ 'user task', 'cc', 'send a copy', '抄送' ],
  group: { id: 'task', label: 'User task' },
  fields: [
    userTaskId('The user task to send a copy of, e.g. <code>1785996265147777</code>, or <code>=userTaskId</code> to '
      + 'take it from a process variable.'),
    idList({
      id: 'ccUserIds',
      label: 'Users to receive a copy',
      description: 'The users who receive the copy, as a list of 1 to 10 aPaaS user IDs, e.g. '
        + '<code>["1783981209205999"]</code>.',
      tooltip: LIST_TOOLTIP,
      required: true
    }),
    operatorUserId('The user who sends the copy, as an aPaaS (kunlun) user ID, e.g. <code>1783981209205788</code>.')
  ],
  result: {
    description: 'Stores Feishu\'s answer as <code>{code, msg, logId}</code> under this name, e.g. '
      + '<code>ccResult</code>. Empty: nothing is stored.',
    tooltip: ACTION_RESULT_TOOLTIP
  },
  // two sheets, white on green
  icon: `
<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16"><rect x="0.5" y="0.5" width="15" height="15" rx="3" fill="#2E8B57"/><rect x="6" y="3.5" width="6" height="7.5" rx="1" fill="none" stroke="#fff" stroke-width="1.4"/><path d="M4 6v6.5h5.5" fill="none" stroke="#fff" stroke-width="1.4" stroke-linecap="round" stroke-linejoin="round"/></svg>`
};

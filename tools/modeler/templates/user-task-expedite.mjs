// Feishu's "催办人工任务": POST /open-apis/apaas/v1/user_tasks/{task_id}/expediting
import { idList, opinion } from './fields.mjs';
import { ACTION_RESULT_TOOLTIP, LIST_TOOLTIP, operatorUserId, userTaskId } from './user-task-fields.mjs';

export default {
  name: 'user-task-expedite',
  jobType: 'feishu-apaas-user-task-expedite',
  version: 1,
  storeApps: false,
  title: 'Feishu: Expedite a user task',
  description: 'Sends a reminder (催办) about a Feishu aPaaS user task to the users it waits for. A Feishu error such '
    + 'as 2320001 becomes a BPMN error with that code. Self-built apps only. For Camunda 8.8 and newer.',
  anchor: 'expedite-a-user-task',
  keywords: [ 'user task', 'expedite', 'remind', '催办' ],
  group: { id: 'task', label: 'User task' },
  fields: [
    userTaskId('The user task to expedite, e.g. <code>1785996265147777</code>, or <code>=userTaskId</code> to take it '
      + 'from a process variable.'),
    operatorUserId('The user who sends the reminder, as an aPaaS (kunlun) user ID, e.g. '
      + '<code>1783981209205788</code>.'),
    idList({
      id: 'expeditingUserIds',
      label: 'Users to remind',
      description: 'The users the reminder goes to, as a list of 1 to 20 aPaaS user IDs, e.g. '
        + '<code>["1783981209205999"]</code>.',
      tooltip: LIST_TOOLTIP,
      required: true
    }),
    opinion({
      description: 'Why the task is expedited, shown with the reminder, e.g. <code>请今天处理</code>. Empty: sent '
        + 'without a reason.',
      tooltip: 'Plain text, or a FEEL expression starting with =. At most 4096 characters.'
    })
  ],
  result: {
    description: 'Stores Feishu\'s answer as <code>{code, msg, logId}</code> under this name, e.g. '
      + '<code>expediteResult</code>. Empty: nothing is stored.',
    tooltip: ACTION_RESULT_TOOLTIP
  },
  // a bell, white on amber
  icon: `
<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16"><rect x="0.5" y="0.5" width="15" height="15" rx="3" fill="#C98A00"/><path d="M5 10.5V7.5a3 3 0 0 1 6 0v3l1 1H4z" fill="#fff"/><circle cx="8" cy="12.6" r="1.1" fill="#fff"/></svg>`
};

// Feishu's "退回人工任务": POST /open-apis/apaas/v1/user_tasks/{task_id}/rollback
import { opinion, userId } from './fields.mjs';
import { ACTION_RESULT_TOOLTIP, operatorUserId, userTaskId } from './user-task-fields.mjs';

export default {
  name: 'user-task-rollback',
  jobType: 'feishu-apaas-user-task-rollback',
  version: 1,
  storeApps: false,
  title: 'Feishu: Roll back a user task',
  description: 'Sends a Feishu aPaaS user task back (退回) to an earlier task of its flow, on behalf of a user. A '
    + 'Feishu error such as 2320001 becomes a BPMN error with that code. Self-built apps only. For Camunda 8.8 and '
    + 'newer.',
  anchor: 'roll-back-a-user-task',
  keywords: [ 'user task', 'roll back', 'send back', '退回' ],
  group: { id: 'task', label: 'User task' },
  fields: [
    userTaskId('The user task to roll back, e.g. <code>1785996265147777</code>, or <code>=userTaskId</code> to take '
      + 'it from a process variable.'),
    operatorUserId('The user who rolls the task back, as an aPaaS (kunlun) user ID, e.g. '
      + '<code>1783981209205788</code>.'),
    userId({
      id: 'toTaskId',
      label: 'Earlier task ID',
      description: 'The earlier task to go back to, e.g. <code>1785996265147001</code> or '
        + '<code>=points[1].id</code>: one of the tasks Feishu lists as allowed targets for this task.'
    }),
    opinion({
      required: true,
      description: 'Why the task goes back, e.g. <code>材料不全，请补充</code>. Required: Feishu refuses to roll '
        + 'back without one.',
      tooltip: 'Plain text, or a FEEL expression starting with =. At most 4096 characters.'
    })
  ],
  result: {
    description: 'Stores Feishu\'s answer as <code>{code, msg, logId}</code> under this name, e.g. '
      + '<code>rollbackResult</code>. Empty: nothing is stored.',
    tooltip: ACTION_RESULT_TOOLTIP
  },
  // an arrow back to a dot, white on purple
  icon: `
<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16"><rect x="0.5" y="0.5" width="15" height="15" rx="3" fill="#8E3FB5"/><circle cx="4.5" cy="8" r="1.4" fill="#fff"/><path d="M12 8H7.5" fill="none" stroke="#fff" stroke-width="1.8" stroke-linecap="round"/><path d="M9.5 5.5L7 8l2.5 2.5" fill="none" stroke="#fff" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"/></svg>`
};

// Feishu's "查询人工任务可退回的位置": POST /open-apis/apaas/v1/user_tasks/{task_id}/rollback_points
import { operatorUserId, userTaskId } from './user-task-fields.mjs';

export default {
  name: 'user-task-rollback-points',
  jobType: 'feishu-apaas-user-task-rollback-points',
  version: 1,
  storeApps: false,
  title: 'Feishu: List a user task\'s rollback points',
  description: 'Lists the earlier tasks a Feishu aPaaS user task may return to (its rollback points); the job '
    + 'completes with them as a list variable. A Feishu error such as 2320001 becomes a BPMN error with that code. '
    + 'Self-built apps only. For Camunda 8.8 and newer.',
  anchor: 'list-a-user-tasks-rollback-points',
  keywords: [ 'user task', 'rollback points', '可退回' ],
  group: { id: 'task', label: 'User task' },
  fields: [
    userTaskId('The user task whose rollback points are listed, e.g. <code>1785996265147777</code>, or '
      + '<code>=userTaskId</code> to take it from a process variable.'),
    operatorUserId('The user who asks, as an aPaaS (kunlun) user ID, e.g. <code>1783981209205788</code>.')
  ],
  result: {
    value: 'rollbackPoints',
    description: 'Stores Feishu\'s list of tasks (<code>data.tasks</code>) under this name, e.g. <code>points</code>. '
      + 'Empty: <code>rollbackPoints</code>.',
    tooltip: 'Each entry is <code>{id, activity_label, is_start}</code>: the task ID, its name per language, and '
      + 'whether it is the flow\'s start. A Feishu error never reaches this variable: it is thrown as a BPMN error '
      + '(see Errors and retries).'
  },
  // a list with a return mark, white on slate
  icon: `
<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16"><rect x="0.5" y="0.5" width="15" height="15" rx="3" fill="#4A6378"/><path d="M7 4.5h5M7 8h5M7 11.5h5" fill="none" stroke="#fff" stroke-width="1.6" stroke-linecap="round"/><path d="M5 4.5H4v7h1" fill="none" stroke="#fff" stroke-width="1.4" stroke-linecap="round" stroke-linejoin="round"/></svg>`
};

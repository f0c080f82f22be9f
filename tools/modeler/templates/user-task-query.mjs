// Feishu's "查询人工任务": POST /open-apis/apaas/v1/user_task/query
import { choice, idList, userId, wholeNumber } from './fields.mjs';

const notSent = 'Empty: not sent, so Feishu\'s own default applies.';

export default {
  name: 'user-task-query',
  jobType: 'feishu-user-task-query',
  version: 2,
  title: 'Feishu: Query a user\'s approval tasks',
  description: 'Lists the Feishu aPaaS approval tasks (人工任务) of one user; the job completes with them as a list '
    + 'variable, ready for a multi-instance loop. A Feishu error such as 2320001 becomes a BPMN error with that '
    + 'code. For Camunda 8.8 and newer.',
  anchor: 'query-a-users-approval-tasks',
  keywords: [ 'approval', 'query', 'tasks', 'pending', '查询' ],
  group: { id: 'query', label: 'Tasks to list' },
  fields: [
    userId({
      id: 'kunlunUserId',
      label: 'User ID',
      description: 'The user whose approval tasks are listed, as an aPaaS (kunlun) user ID, e.g. '
        + '<code>1783981209205788</code>.'
    }),
    choice({
      id: 'type',
      label: 'Task state',
      description: `Pending tasks wait for a decision; archived ones are finished. ${notSent}`,
      tooltip: 'Feishu\'s type filter: pending or archived.',
      choices: [
        { name: 'Pending', value: 'pending' },
        { name: 'Archived (finished)', value: 'archived' }
      ]
    }),
    choice({
      id: 'source',
      label: 'Relation to the user',
      description: `Tasks the user started, is assigned to, or is copied on. ${notSent}`,
      tooltip: 'Feishu\'s source filter: fromMe, assignMe or CCMe.',
      choices: [
        { name: 'Started by the user', value: 'fromMe' },
        { name: 'Assigned to the user', value: 'assignMe' },
        { name: 'Copied to the user (CC)', value: 'CCMe' }
      ]
    }),
    wholeNumber({
      id: 'limit',
      label: 'Page size',
      description: `How many tasks to return at most, 1 to 50, e.g. <code>20</code>. ${notSent}`,
      tooltip: 'Feishu returns at most 50 tasks per call; use Offset for the next page.',
      digits: '[1-9]|[1-4][0-9]|50',
      range: 'a whole number from 1 to 50'
    }),
    wholeNumber({
      id: 'offset',
      label: 'Offset',
      description: 'How many tasks to skip: 0 for the first page, then the number of tasks already read, e.g. '
        + `<code>20</code>. ${notSent}`,
      range: 'a whole number, 0 or more'
    }),
    wholeNumber({
      id: 'startTime',
      label: 'From (epoch ms)',
      description: 'Start of the time range, in milliseconds since 1970-01-01 UTC, e.g. '
        + `<code>1735689600000</code> (1 January 2025, 00:00 UTC). ${notSent}`,
      range: 'milliseconds since 1970-01-01 UTC (digits only)'
    }),
    wholeNumber({
      id: 'endTime',
      label: 'To (epoch ms)',
      description: 'End of the time range, in milliseconds since 1970-01-01 UTC, e.g. '
        + `<code>1767225600000</code> (1 January 2026, 00:00 UTC). ${notSent}`,
      range: 'milliseconds since 1970-01-01 UTC (digits only)'
    }),
    idList({
      id: 'apiIds',
      label: 'Approval flow API IDs',
      description: 'Only tasks of these aPaaS approval flows, as a list of their API IDs, e.g. '
        + '<code>["expense_approval"]</code>. Empty: tasks of every flow.',
      tooltip: 'Type the list without a leading =: this field is a FEEL expression already.'
    })
  ],
  result: {
    value: 'userTasks',
    description: 'Stores Feishu\'s list of tasks (<code>data.tasks</code>) under this name, e.g. '
      + '<code>pendingTasks</code>, ready for a multi-instance loop. Empty: <code>userTasks</code>.',
    tooltip: 'Each entry is one task as Feishu returns it; the list is empty when no task matches. A Feishu error '
      + 'never reaches this variable: it is thrown as a BPMN error (see Errors and retries).'
  },
  // a magnifying glass, white on teal
  icon: `
<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16"><rect x="0.5" y="0.5" width="15" height="15" rx="3" fill="#0B8FA3"/><circle cx="7" cy="7" r="3.3" fill="none" stroke="#fff" stroke-width="1.8"/><path d="M9.5 9.5l3 3" fill="none" stroke="#fff" stroke-width="2" stroke-linecap="round"/></svg>`
};

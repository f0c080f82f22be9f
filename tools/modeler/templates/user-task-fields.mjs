// The two fields every aPaaS user-task template starts with; the texts that speak of one action are passed in.
import { pathId, userId } from './fields.mjs';

export function userTaskId(description) {
  return pathId({
    id: 'userTaskId',
    label: 'User task ID',
    description,
    tooltip: 'The aPaaS user task (人工任务) ID: the task_id Feishu lists among a user\'s tasks.'
  });
}

export function operatorUserId(description) {
  return userId({ id: 'operatorUserId', label: 'Operator user ID', description });
}

export const LIST_TOOLTIP = 'Type the list without a leading =: this field is a FEEL expression already. Each entry '
  + 'is a string of digits or a number; a process variable holding such a list works too.';

export const ACTION_RESULT_TOOLTIP = 'The log ID is what Feishu support asks for. A Feishu error never reaches this '
  + 'variable: it is thrown as a BPMN error (see Errors and retries).';

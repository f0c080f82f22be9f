// Feishu Approval (审批 v4): POST /open-apis/approval/v4/instances and the task and instance actions beside it.
import { choice } from './fields.mjs';

const FEEL_ALTERNATIVE = 'or a FEEL expression starting with =';
const DOCS = 'https://github.com/feishu-approval-worker/feishu-approval-worker/blob/main/docs/feishu-approval.md';
const notSent = 'Empty: not sent.';

/** An id Feishu Approval takes as a string: no spaces, at most 128 characters. */
function id({ id, label, description, tooltip, required = true }) {
  return {
    id,
    label,
    description,
    tooltip,
    type: 'String',
    feel: 'optional',
    optional: required ? undefined : true,
    binding: { type: 'zeebe:input', name: id },
    constraints: {
      notEmpty: required,
      pattern: {
        value: required ? '^(=.*|\\S{1,128})$' : '^(=.*|\\S{1,128}|undefined)?$',
        message: `must be an ID of up to 128 characters without spaces, ${FEEL_ALTERNATIVE}.`
      }
    }
  };
}

/** A list, always a FEEL expression: the field supplies the leading = itself. */
function list({ id, label, description, tooltip, required = false }) {
  return {
    id,
    label,
    description,
    tooltip,
    type: 'String',
    feel: 'required',
    optional: required ? undefined : true,
    binding: { type: 'zeebe:input', name: id },
    constraints: required ? { notEmpty: true } : undefined
  };
}

function text({ id, label, description, tooltip, maxLength = 4096 }) {
  return {
    id,
    label,
    description,
    tooltip,
    type: 'Text',
    feel: 'optional',
    optional: true,
    binding: { type: 'zeebe:input', name: id },
    constraints: { notEmpty: false, maxLength }
  };
}

function userIdType() {
  return choice({
    id: 'userIdType',
    label: 'User ID type',
    description: 'Which kind of ID the user IDs of this task are. Empty: Feishu\'s default, open_id.',
    tooltip: 'Sent to Feishu as its user_id_type parameter.',
    choices: [
      { name: 'open_id (ou_…)', value: 'open_id' },
      { name: 'user_id', value: 'user_id' },
      { name: 'union_id (on_…)', value: 'union_id' }
    ]
  });
}

function form({ required, description }) {
  return list({
    id: 'form',
    label: 'Form',
    description,
    tooltip: 'A list of the form\'s widgets as contexts {id, type, value}, typed without a leading =; the worker '
      + 'sends it to Feishu as the JSON text Feishu wants. A JSON text of that list is accepted as well. At most 500 '
      + 'widgets and 200,000 characters.',
    required
  });
}

const approvalCode = () => id({
  id: 'approvalCode',
  label: 'Approval code',
  description: 'The approval definition (审批定义) the instance belongs to, e.g. '
    + '<code>7C468A54-8745-2245-9675-08B7C63E7A85</code> or <code>=approvalCode</code>.',
  tooltip: 'Shown in the Feishu approval admin console, in the URL of the definition\'s edit page.'
});

const instanceCode = () => id({
  id: 'instanceCode',
  label: 'Instance code',
  description: 'The approval instance, e.g. <code>=approvalInstance.instanceCode</code> or '
    + '<code>81D31358-93AF-92D6-7425-01A5D67C4E71</code>.',
  tooltip: 'The instanceCode stored by the job that started the instance, or instance_code from a Feishu '
    + 'approval event.'
});

const taskId = () => id({
  id: 'taskId',
  label: 'Task ID',
  description: 'The task of the instance to act on, e.g. <code>=approvalInstanceDetail.tasks[1].id</code> or '
    + '<code>7355627226281082908</code>.',
  tooltip: 'The id of one of the tasks the instance detail lists, or task_id from an approval_task event.'
});

const comment = () => text({
  id: 'comment',
  label: 'Comment',
  description: `The comment Feishu shows with this step, e.g. <code>请尽快安排</code>. ${notSent}`,
  tooltip: 'Plain text, or a FEEL expression starting with =. At most 4096 characters.'
});

function operation({ name, version = 1, title, description, anchor, keywords, group, fields, result, icon }) {
  return {
    // the template id: the aPaaS templates have an instance-cancel of their own
    name: `approval-v4-${name}`,
    jobType: `feishu-approval-v4-${name}`,
    version,
    title,
    description: description + ' Works for self-built and store apps. For Camunda 8.8 and newer.',
    anchor,
    documentationRef: `${DOCS}#${anchor}`,
    baseKeywords: [ 'feishu', 'lark', 'approval-v4', '审批' ],
    exampleError: { code: 1390001, msg: 'param is invalid' },
    keywords,
    group,
    fields,
    result,
    icon: `
<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16"><rect x="0.5" y="0.5" width="15" height="15" rx="3" fill="${icon.color}"/>${icon.mark}</svg>`
  };
}

const actionResult = what => ({
  description: `Stores Feishu's answer as <code>{code, msg, logId}</code> under this name, e.g. <code>${what}</code>. `
    + 'Empty: nothing is stored.',
  tooltip: 'The log ID is what Feishu support asks for. A Feishu error never reaches this variable: it is thrown as '
    + 'a BPMN error (see Errors and retries).'
});

/** The user acting on a task, in the ID type chosen below. */
const actingUser = (label, description) => id({ id: 'userId', label, description,
  tooltip: 'In the kind of ID the User ID type field names.' });

const create = operation({
  name: 'instance-create',
  title: 'Feishu Approval: Create an instance',
  description: 'Starts an instance of a Feishu approval definition (发起审批) for an initiator, with its form. The job '
    + 'makes at most one instance however often it runs: its creation uuid is derived from the job. A Feishu error '
    + 'such as 1390002 becomes a BPMN error with that code.',
  anchor: 'create-an-instance',
  keywords: [ 'instance', 'create', '发起' ],
  group: { id: 'instance', label: 'Instance to create' },
  fields: [
    approvalCode(),
    id({ id: 'userId', label: 'Initiator user_id', required: false,
      description: 'The initiator as a user_id, e.g. <code>5d9bdxxx</code>. Give this or the initiator open_id.',
      tooltip: 'Exactly one of the two initiator fields must be filled; otherwise an incident names both.' }),
    id({ id: 'openId', label: 'Initiator open_id', required: false,
      description: 'The initiator as an open_id, e.g. <code>ou_3cda9c969f737aaa05e6915dce306cb9</code>. Give this '
        + 'or the initiator user_id.',
      tooltip: 'Exactly one of the two initiator fields must be filled; otherwise an incident names both.' }),
    form({ required: true, description: 'The form\'s values, e.g. '
      + '<code>[{id: "111", type: "input", value: "出差 3 天"}]</code> or <code>[{id: "222", type: "date", value: "2026-01-05T09:00:00+08:00"}]</code>.' }),
    text({ id: 'title', label: 'Title', maxLength: 1000,
      description: `The title shown in Feishu instead of the definition's name, e.g. <code>出差申请</code>. ${notSent}`,
      tooltip: 'Plain text, or a FEEL expression starting with =. At most 1000 characters.' }),
    id({ id: 'departmentId', label: 'Department ID', required: false,
      description: `The initiator's department, when they belong to several, e.g. <code>od-123456</code>. ${notSent}` }),
    list({ id: 'nodeApproverUserIds', label: 'Node approvers (user_id)',
      description: 'Approvers of self-select nodes, per node key, as user_ids, e.g. '
        + `<code>[{key: "46e6d96cfa756980907209209ec03b64", value: ["5d9bdxxx"]}]</code>. ${notSent}`,
      tooltip: 'Each entry is a node key (from the definition) and a list of user IDs; at most 50 nodes of 100 users.' }),
    list({ id: 'nodeApproverOpenIds', label: 'Node approvers (open_id)',
      description: 'Approvers of self-select nodes, per node key, as open_ids, e.g. '
        + `<code>[{key: "manager_node_id", value: ["ou_e03053f0541cecc3269d7a9dc34a0b21"]}]</code>. ${notSent}`,
      tooltip: 'Each entry is a node key (from the definition) and a list of user IDs; at most 50 nodes of 100 users.' }),
    list({ id: 'nodeCcUserIds', label: 'Node CC (user_id)',
      description: `Copied users per node key, as user_ids, e.g. <code>[{key: "node_1", value: ["5d9bdxxx"]}]</code>. `
        + notSent,
      tooltip: 'Each entry is a node key (from the definition) and a list of user IDs; at most 50 nodes of 100 users.' }),
    list({ id: 'nodeCcOpenIds', label: 'Node CC (open_id)',
      description: 'Copied users per node key, as open_ids, e.g. '
        + `<code>[{key: "node_1", value: ["ou_e03053f0541cecc3269d7a9dc34a0b21"]}]</code>. ${notSent}`,
      tooltip: 'Each entry is a node key (from the definition) and a list of user IDs; at most 50 nodes of 100 users.' }),
    id({ id: 'uuid', label: 'Creation uuid', required: false,
      description: 'Empty (recommended): derived from the job, so that a retry never makes a second instance. '
        + 'Otherwise a key of your own, e.g. <code>=orderId</code>.',
      tooltip: '1 to 64 letters, digits, _ or -. Feishu makes one instance per uuid and tenant: a job that runs again '
        + 'completes with the instance the uuid already has.' })
  ],
  result: {
    value: 'approvalInstance',
    description: 'Stores <code>{instanceCode, uuid}</code> under this name, e.g. <code>leaveApproval</code>. '
      + 'Empty: <code>approvalInstance</code>.',
    tooltip: 'instanceCode names the instance for the jobs that read it or act on its tasks. A Feishu error never '
      + 'reaches this variable: it is thrown as a BPMN error (see Errors and retries).'
  },
  icon: { color: '#3370FF', mark: '<path d="M8 4v8M4 8h8" fill="none" stroke="#fff" stroke-width="2" stroke-linecap="round"/>' }
});

const get = operation({
  name: 'instance-get',
  title: 'Feishu Approval: Get an instance',
  description: 'Reads an approval instance (审批实例详情): its status and its tasks, each with the task ID, the '
    + 'user and the node, so that the process can find the pending task. A Feishu error such as 1390003 becomes a '
    + 'BPMN error with that code.',
  anchor: 'get-an-instance',
  keywords: [ 'instance', 'get', 'status', '详情' ],
  group: { id: 'instance', label: 'Instance to read' },
  fields: [
    id({ id: 'instanceCode', label: 'Instance code or uuid',
      description: 'The instance, e.g. <code>=approvalInstance.instanceCode</code> or '
        + '<code>81D31358-93AF-92D6-7425-01A5D67C4E71</code>; the uuid it was started with names it too.',
      tooltip: 'Feishu looks the instance up by its code or by the uuid it was started with.' }),
    userIdType()
  ],
  result: {
    value: 'approvalInstanceDetail',
    description: 'Stores <code>{instanceCode, approvalCode, status, uuid, userId, openId, tasks, form, timeline}</code> '
      + 'under this name, e.g. <code>leaveState</code>. Empty: <code>approvalInstanceDetail</code>.',
    tooltip: 'status is Feishu\'s instance status, PENDING while the instance waits; each of tasks is {id, userId, '
      + 'openId, status, nodeId, nodeName, customNodeId, type}. A Feishu error is thrown as a BPMN error.'
  },
  icon: { color: '#3370FF', mark: '<circle cx="7" cy="7" r="3.3" fill="none" stroke="#fff" stroke-width="1.8"/><path d="M9.5 9.5l3 3" stroke="#fff" stroke-width="2" stroke-linecap="round"/>' }
});

function taskAction({ name, title, description, anchor, keywords, label, userDescription, further = [], resultName,
  icon }) {
  return operation({
    name,
    title,
    description: description + ' A Feishu error such as 1390009 becomes a BPMN error with that code.',
    anchor,
    keywords: [ 'task', ...keywords ],
    group: { id: 'task', label: 'Task' },
    fields: [ approvalCode(), instanceCode(), taskId(), actingUser(label, userDescription), comment(), ...further,
      userIdType() ],
    result: actionResult(resultName),
    icon
  });
}

const approve = taskAction({
  name: 'task-approve',
  title: 'Feishu Approval: Approve a task',
  description: 'Approves a task of a Feishu approval instance (同意) on behalf of the user who holds it.',
  anchor: 'approve-a-task',
  keywords: [ 'approve', '同意' ],
  label: 'Approving user',
  userDescription: 'The user who holds the task, e.g. <code>=approvalInstanceDetail.tasks[1].userId</code>.',
  further: [ form({ required: false, description: 'Form values the approver fills in, e.g. '
    + '<code>[{id: "amount", type: "number", value: "100"}]</code>. Empty: not sent.' }) ],
  resultName: 'approveResult',
  icon: { color: '#34C724', mark: '<path d="M4 8.5l2.5 2.5L12 5.5" fill="none" stroke="#fff" stroke-width="2" stroke-linecap="round"/>' }
});

const reject = taskAction({
  name: 'task-reject',
  title: 'Feishu Approval: Reject a task',
  description: 'Rejects a task of a Feishu approval instance (拒绝) on behalf of the user who holds it.',
  anchor: 'reject-a-task',
  keywords: [ 'reject', '拒绝' ],
  label: 'Rejecting user',
  userDescription: 'The user who holds the task, e.g. <code>=approvalInstanceDetail.tasks[1].userId</code>.',
  further: [ form({ required: false, description: 'Form values sent with the step, e.g. '
    + '<code>[{id: "reason", type: "input", value: "超预算"}]</code>. Empty: not sent.' }) ],
  resultName: 'rejectResult',
  icon: { color: '#F54A45', mark: '<path d="M5 5l6 6M11 5l-6 6" stroke="#fff" stroke-width="2" stroke-linecap="round"/>' }
});

const transfer = taskAction({
  name: 'task-transfer',
  title: 'Feishu Approval: Transfer a task',
  description: 'Transfers a task of a Feishu approval instance (转交) from the user who holds it to another user.',
  anchor: 'transfer-a-task',
  keywords: [ 'transfer', '转交' ],
  label: 'Transferring user',
  userDescription: 'The user who holds the task, e.g. <code>=approvalInstanceDetail.tasks[1].userId</code>.',
  further: [ id({ id: 'transferUserId', label: 'Transfer to',
    description: 'The user who gets the task, e.g. <code>ou_e03053f0541cecc3269d7a9dc34a0b21</code>.',
    tooltip: 'In the kind of ID the User ID type field names.' }) ],
  resultName: 'transferResult',
  icon: { color: '#7F3BF5', mark: '<path d="M4 8h7M9 5l3 3-3 3" fill="none" stroke="#fff" stroke-width="2" stroke-linecap="round"/>' }
});

const resubmit = taskAction({
  name: 'task-resubmit',
  title: 'Feishu Approval: Resubmit a task',
  description: 'Resubmits an instance returned to its initiator (重新提交), with the corrected form.',
  anchor: 'resubmit-a-task',
  keywords: [ 'resubmit', '重新提交' ],
  label: 'Resubmitting user',
  userDescription: 'The initiator, who holds the resubmit task, e.g. <code>=approvalInstanceDetail.userId</code>.',
  further: [ form({ required: true, description: 'The corrected form, e.g. '
    + '<code>[{id: "111", type: "input", value: "出差 2 天"}]</code>.' }) ],
  resultName: 'resubmitResult',
  icon: { color: '#FF8800', mark: '<path d="M11.5 6A4 4 0 1 0 12 9" fill="none" stroke="#fff" stroke-width="1.8" stroke-linecap="round"/><path d="M12 3.5V6.5H9" fill="none" stroke="#fff" stroke-width="1.8" stroke-linecap="round"/>' }
});

const cancel = operation({
  name: 'instance-cancel',
  title: 'Feishu Approval: Cancel an instance',
  description: 'Cancels (撤回) a pending approval instance on behalf of its initiator; the definition must allow '
    + 'it. A Feishu error such as 1390009 becomes a BPMN error with that code.',
  anchor: 'cancel-an-instance',
  keywords: [ 'instance', 'cancel', '撤回' ],
  group: { id: 'instance', label: 'Instance' },
  fields: [ approvalCode(), instanceCode(),
    actingUser('Initiator', 'The initiator of the instance, e.g. <code>=approvalInstanceDetail.userId</code>.'),
    userIdType() ],
  result: actionResult('cancelResult'),
  icon: { color: '#646A73', mark: '<path d="M5 8h6" stroke="#fff" stroke-width="2" stroke-linecap="round"/><circle cx="8" cy="8" r="4.5" fill="none" stroke="#fff" stroke-width="1.5"/>' }
});

const cc = operation({
  name: 'instance-cc',
  title: 'Feishu Approval: CC an instance',
  description: 'Copies an approval instance to further users (抄送), who can then read it. A Feishu error such as '
    + '1390004 becomes a BPMN error with that code.',
  anchor: 'cc-an-instance',
  keywords: [ 'instance', 'cc', '抄送' ],
  group: { id: 'instance', label: 'Instance' },
  fields: [ approvalCode(), instanceCode(),
    actingUser('Sending user', 'The user who sends the copy, e.g. <code>=approvalInstanceDetail.userId</code>.'),
    list({ id: 'ccUserIds', label: 'Copy to', required: true,
      description: 'The users who receive the copy, e.g. <code>["ou_e03053f0541cecc3269d7a9dc34a0b21"]</code>.',
      tooltip: 'In the kind of ID the User ID type field names; at most 20.' }),
    comment(), userIdType() ],
  result: actionResult('ccResult'),
  icon: { color: '#00B2B2', mark: '<rect x="4" y="5" width="8" height="6" rx="1" fill="none" stroke="#fff" stroke-width="1.5"/><path d="M4.5 5.5L8 8.5l3.5-3" fill="none" stroke="#fff" stroke-width="1.5"/>' }
});

const addSign = operation({
  name: 'instance-add-sign',
  title: 'Feishu Approval: Add sign to a task',
  description: 'Adds signers to a task of an approval instance (加签): before, after or beside the user who holds '
    + 'it. Feishu takes user_ids here. A Feishu error such as 1390009 becomes a BPMN error with that code.',
  anchor: 'add-signers-to-a-task',
  keywords: [ 'task', 'add sign', '加签' ],
  group: { id: 'task', label: 'Task' },
  fields: [ approvalCode(), instanceCode(), taskId(),
    id({ id: 'userId', label: 'Acting user (user_id)',
      description: 'The user who holds the task, as a user_id, e.g. <code>=approvalInstanceDetail.tasks[1].userId</code>.',
      tooltip: 'Feishu takes user_ids only for this step.' }),
    list({ id: 'addSignUserIds', label: 'Signers (user_id)', required: true,
      description: 'The users to add, as user_ids, e.g. <code>["5d9bdxxx"]</code>.',
      tooltip: 'At most 20.' }),
    choice({ id: 'addSignType', label: 'Where', value: '1', optional: false,
      description: 'Before the current user, after them, or beside them (parallel).',
      tooltip: 'Feishu\'s add_sign_type: 1, 2 or 3.',
      choices: [ { name: 'Before (前加签)', value: '1' }, { name: 'After (后加签)', value: '2' },
        { name: 'Parallel (并加签)', value: '3' } ] }),
    choice({ id: 'approvalMethod', label: 'Signers decide',
      description: 'For parallel signers: one of them is enough, or all of them. Empty: not sent.',
      tooltip: 'Feishu\'s approval_method: 1 (或签) or 2 (会签).',
      choices: [ { name: 'Any one (或签)', value: '1' }, { name: 'All (会签)', value: '2' } ] }),
    comment() ],
  result: actionResult('addSignResult'),
  icon: { color: '#3370FF', mark: '<circle cx="6.5" cy="6.5" r="2" fill="#fff"/><path d="M3.5 12c.5-2 1.5-3 3-3s2.5 1 3 3M11.5 7v4M9.5 9h4" fill="none" stroke="#fff" stroke-width="1.5" stroke-linecap="round"/>' }
});

const rollback = operation({
  name: 'instance-rollback',
  title: 'Feishu Approval: Roll back an instance',
  description: 'Sends an approval instance back (退回) from a task to earlier nodes. A Feishu error such as 1390009 '
    + 'becomes a BPMN error with that code.',
  anchor: 'roll-back-an-instance',
  keywords: [ 'instance', 'rollback', '退回' ],
  group: { id: 'task', label: 'Task' },
  fields: [ taskId(),
    actingUser('Acting user', 'The user who holds the task, e.g. <code>=approvalInstanceDetail.tasks[1].userId</code>.'),
    list({ id: 'taskDefKeys', label: 'Back to nodes', required: true,
      description: 'The keys of the nodes to go back to, from the instance\'s timeline, e.g. <code>["START"]</code>.',
      tooltip: 'Feishu\'s task_def_key_list; at most 20.' }),
    text({ id: 'reason', label: 'Reason',
      description: `Why the instance goes back, e.g. <code>材料不全</code>. ${notSent}`,
      tooltip: 'Plain text, or a FEEL expression starting with =. At most 4096 characters.' }),
    userIdType() ],
  result: actionResult('rollbackResult'),
  icon: { color: '#FF8800', mark: '<path d="M11 11V8.5A2.5 2.5 0 0 0 8.5 6H5M7 3.5L4.5 6 7 8.5" fill="none" stroke="#fff" stroke-width="1.8" stroke-linecap="round"/>' }
});

export const approvalV4 = [ create, get, approve, reject, transfer, resubmit, cancel, cc, addSign, rollback ];

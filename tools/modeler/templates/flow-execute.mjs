// Feishu's "发起流程": POST /open-apis/apaas/v1/applications/{namespace}/flows/{flow_id}/execute
import { choice, codesHeader, context, email, idList, optionalUserId, pathId, token } from './fields.mjs';

export default {
  name: 'flow-execute',
  jobType: 'feishu-apaas-flow-execute',
  version: 1,
  storeApps: false,
  title: 'Feishu: Start an aPaaS flow',
  description: 'Starts (发起流程) a flow of a Feishu aPaaS application with the given inputs, as an aPaaS user; the '
    + 'job completes with the execution ID, status and out params. Every attempt of one job sends the same '
    + 'idempotency key, so that Feishu starts the flow once. A Feishu error such as 2320001 becomes a BPMN error with '
    + 'that code. Self-built apps only. For Camunda 8.8 and newer.',
  anchor: 'start-an-apaas-flow',
  keywords: [ 'flow', 'start', 'execute', '发起流程' ],
  group: { id: 'flow', label: 'Flow to start' },
  fields: [
    pathId({
      id: 'namespace',
      label: 'Application namespace',
      description: 'The aPaaS application the flow belongs to, by its namespace (API name), e.g. '
        + '<code>package_expense__c</code>, or <code>=namespace</code> to take it from a process variable.',
      tooltip: 'Shown in the aPaaS developer console of the application. The application\'s admin must grant the '
        + 'Feishu app access to its flows.'
    }),
    pathId({
      id: 'flowId',
      label: 'Flow API name',
      description: 'The flow to start, by its API name, e.g. <code>approve_99c0b74799f</code>.',
      tooltip: 'Shown in the flow\'s settings in the aPaaS flow editor.'
    }),
    optionalUserId({
      id: 'operatorUserId',
      label: 'Operator user ID',
      description: 'The aPaaS user the flow runs as, by aPaaS (kunlun) user ID, e.g. <code>1783981209205788</code>. '
        + 'Give this or the operator email, or both.'
    }),
    email({
      id: 'operatorEmail',
      label: 'Operator email',
      description: 'The aPaaS user the flow runs as, by email, e.g. <code>apaas@example.com</code>. Give this or the '
        + 'operator user ID, or both.',
      tooltip: 'Plain text, or a FEEL expression starting with =. Both empty raises an incident: Feishu needs one.'
    }),
    context({
      id: 'params',
      label: 'Inputs',
      description: 'The flow\'s inputs as a FEEL context, e.g. <code>{amount: 1200, reason: "差旅"}</code>. Empty: '
        + 'the flow is started without inputs.',
      tooltip: 'Type the context without a leading =: this field is a FEEL expression already. The worker sends it to '
        + 'Feishu as the JSON string the API takes; at most 65536 characters of JSON.'
    }),
    choice({
      id: 'isAsync',
      label: 'Run asynchronously',
      description: 'Whether Feishu answers at once rather than when the flow ends. Empty: not sent, so Feishu\'s '
        + 'default (synchronous) applies.',
      tooltip: 'An asynchronous start completes the job with the execution ID before the flow has ended, so its out '
        + 'params are not there yet.',
      choices: [
        { name: 'Yes', value: 'true' },
        { name: 'No', value: 'false' }
      ]
    }),
    idList({
      id: 'loopMasks',
      label: 'Loop masks',
      description: 'Feishu\'s loop flags for the flow, as a list, e.g. <code>["mask_1"]</code>. Empty: not sent; '
        + 'Feishu says the current version does not need them.',
      tooltip: 'Type the list without a leading =: this field is a FEEL expression already.'
    }),
    token({
      id: 'idempotentKey',
      label: 'Idempotency key',
      description: 'Feishu starts the flow once per key, e.g. <code>=orderId</code>. Empty: the worker makes one of '
        + 'the job\'s element instance key and job key, the same for every retry of the job.',
      tooltip: 'Give your own when the same flow must not start twice for one business key across jobs or process '
        + 'instances. Up to 128 letters, digits, _ or -.'
    })
  ],
  headers: [
    codesHeader({
      id: 'alreadyStartedCodes',
      label: 'Codes meaning already started',
      description: 'Feishu error codes that mean "this idempotency key was used before", e.g. '
        + '<code>2320010</code>. Such an answer completes the job with alreadyStarted true and no execution ID. '
        + 'Empty: it is a BPMN error like any other code.',
      tooltip: 'Feishu documents no code for a repeated key. A job whose first answer was lost is tried again with '
        + 'the same key; name the code here once you know it, so that such a job completes.'
    })
  ],
  result: {
    value: 'flowExecution',
    description: 'Stores <code>{executionId, status, outParams, errorMsg, errorCode, idempotentKey, alreadyStarted, '
      + 'logId}</code> under this name, e.g. <code>started</code>. Empty: <code>flowExecution</code>.',
    tooltip: 'outParams is the flow\'s out params as an object when Feishu answers them as JSON. A Feishu error '
      + 'never reaches this variable: it is thrown as a BPMN error (see Errors and retries).'
  },
  // a play triangle, white on indigo
  icon: `
<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16"><rect x="0.5" y="0.5" width="15" height="15" rx="3" fill="#4B4FC4"/><path d="M6 4.5v7l5.5-3.5z" fill="#fff" stroke="#fff" stroke-width="1" stroke-linejoin="round"/></svg>`
};

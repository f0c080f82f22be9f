// The element templates of the connector (feishu-approval-worker-connector), made from each operation's worker
// template: the same fields and texts, with what differs in Camunda's Connector Runtime. The task type is a field (a
// hybrid template), the operation a hidden header, the app's credentials inputs whose secret is a {{secrets.…}}
// placeholder the runtime resolves, and a hidden error expression gives the worker's answers.
import { elementTemplate, templateId } from './template.mjs';

/** The connector's templates have versions of their own, apart from the worker's. */
const VERSION = 1;

/** The type FeishuApprovalConnector registers for. */
export const CONNECTOR_TYPE = 'io.github.feishuapproval:feishu-approval:1';

/**
 * What the runtime does with the connector's errors: a Feishu business error (a numeric code) becomes the BPMN error
 * of that code, a wait keeps the job's retries, which only this expression can read; any other failure is the
 * runtime's own (a retry spent, or an incident).
 */
export const ERROR_EXPRESSION = '=if error = null then null '
  + 'else if error.code = "FEISHU_WAIT" '
  + 'then jobError(error.message, {}, job.retries, duration(error.variables.retryBackoff)) '
  + 'else if error.code != null and matches(error.code, "^[0-9]+$") '
  + 'then bpmnError(error.code, error.message, error.variables) '
  + 'else null';

export function connectorFileName(operation) {
  return `${operation.jobType}.json`;
}

export function connectorTemplate(operation) {
  const worker = elementTemplate(operation);
  const id = `${templateId(operation)}.connector`;
  const kept = worker.properties.filter(property => ![ 'feishuApp', 'tenantKey' ].includes(property.id)
    && !isTaskType(property));
  const hidden = (binding, value, propertyId) => ({ id: propertyId, type: 'Hidden', value, binding });
  return {
    ...worker,
    name: `${worker.name} (connector)`,
    id,
    version: VERSION,
    description: `${worker.description} Runs in Camunda's Connector Runtime.`,
    groups: [
      ...worker.groups.filter(group => group.id !== 'retries'),
      { id: 'connector', label: 'Connector' },
      { ...worker.groups.find(group => group.id === 'retries'), tooltip: errorsTooltip() }
    ],
    properties: [
      taskType(),
      hidden({ type: 'zeebe:taskHeader', key: 'feishuOperation' }, operation.jobType, 'feishuOperation'),
      ...kept.map(property => property.id === 'retryBackoff' ? retryBackoff(property)
        : property.id === 'elementTemplateId' ? { ...property, value: id }
          : property.id === 'elementTemplateVersion' ? { ...property, value: String(VERSION) } : property),
      appId(),
      appSecret(),
      resultExpression(),
      hidden({ type: 'zeebe:taskHeader', key: 'errorExpression' }, ERROR_EXPRESSION, 'errorExpression')
    ]
  };
}

function isTaskType(property) {
  return property.binding?.type === 'zeebe:taskDefinition' && property.binding.property === 'type';
}

function taskType() {
  return {
    id: 'taskDefinitionType',
    label: 'Task type',
    description: `The job type the connector serves in your runtime, <code>${CONNECTOR_TYPE}</code> unless the `
      + 'runtime registers it under another.',
    tooltip: 'Change it only together with the runtime (CONNECTOR_FEISHU_APPROVAL_TYPE); the task header '
      + 'feishuOperation, not the type, says what the task does.',
    group: 'connector',
    type: 'String',
    value: CONNECTOR_TYPE,
    binding: { type: 'zeebe:taskDefinition', property: 'type' },
    constraints: { notEmpty: true }
  };
}

function appId() {
  return {
    id: 'feishuAppId',
    label: 'App ID',
    description: 'The self-built Feishu app to act as, e.g. <code>cli_a1b2c3d4e5f6g7h8</code>, or '
      + '<code>{{secrets.FEISHU_APP_ID}}</code>.',
    tooltip: 'Each app has its own tenant token and its own quota of Feishu calls in the runtime.',
    group: 'app',
    type: 'String',
    value: '{{secrets.FEISHU_APP_ID}}',
    binding: { type: 'zeebe:input', name: 'feishuAppId' },
    constraints: { notEmpty: true }
  };
}

function appSecret() {
  return {
    id: 'feishuAppSecret',
    label: 'App secret',
    description: 'A secret of the runtime, e.g. <code>{{secrets.FEISHU_APP_SECRET}}</code>: never the secret '
      + 'itself, which would be stored in the process.',
    tooltip: 'The runtime puts the secret in when it runs the task; it never reaches the engine, a variable or a '
      + 'log.',
    group: 'app',
    type: 'String',
    value: '{{secrets.FEISHU_APP_SECRET}}',
    binding: { type: 'zeebe:input', name: 'feishuAppSecret' },
    constraints: {
      notEmpty: true,
      pattern: { value: '^\\{\\{secrets\\.[A-Za-z0-9_]+\\}\\}$', message: 'must be a secret, like {{secrets.NAME}}.' }
    }
  };
}

function resultExpression() {
  return {
    id: 'resultExpression',
    label: 'Result expression',
    description: 'Maps the result to process variables, e.g. <code>={logId: response.logId}</code>.',
    tooltip: 'The runtime evaluates it with the result as response; it may be left empty.',
    group: 'output',
    type: 'Text',
    feel: 'required',
    optional: true,
    binding: { type: 'zeebe:taskHeader', key: 'resultExpression' }
  };
}

function retryBackoff(property) {
  return {
    ...property,
    description: 'The wait before the first retry, as an ISO-8601 duration, e.g. <code>PT5S</code> or '
      + '<code>PT1M</code>; each further retry waits twice as long. Empty: the runtime\'s FEISHU_RETRY_BACKOFF, 5 '
      + 'seconds unless set.',
    tooltip: 'The wait never exceeds FEISHU_MAX_RETRY_BACKOFF of the runtime, 5 minutes unless set.'
  };
}

function errorsTooltip() {
  return 'A Feishu business error, such as code 2320001 (param is invalid), is thrown as a BPMN error whose error '
    + 'code is the Feishu code as text, "2320001", with the variables feishuErrorCode, feishuErrorMsg and '
    + 'feishuLogId: catch it with an error boundary event. Temporary failures are retried; when the retries are '
    + 'spent, an incident is raised. A rate limit is waited out without spending a retry.';
}

// The two templates that wait for a human's decision an aPaaS flow sends back through its HTTP node: a message
// intermediate catch event and a receive task. They set the message the worker's callback endpoint publishes
// (POST /feishu/callbacks/<app>) and the correlation key it is matched by; nothing runs a job for them.
import { approvalEventTemplates } from './approval-events.mjs';

const SCHEMA = 'https://unpkg.com/@camunda/zeebe-element-templates-json-schema/resources/schema.json';
const README = 'https://github.com/feishu-approval-worker/feishu-approval-worker';
const DEFAULT_MESSAGE_NAME = 'feishu-apaas-decision';
const VERSION = 1;

// an arrow coming back into a blue box
const ICON = `
<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16"><rect x="0.5" y="0.5" width="15" height="15" rx="3" fill="#1F6FEB"/><path d="M12 4v4.5a1.5 1.5 0 0 1-1.5 1.5H5M7 7.5L4.5 10 7 12.5" fill="none" stroke="#fff" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round"/></svg>`;

function fields() {
  return [
    {
      id: 'messageName',
      label: 'Message name',
      description: `The <code>messageName</code> the flow's HTTP node sends, e.g. <code>${DEFAULT_MESSAGE_NAME}</code>, `
        + 'the name the worker uses when the node sends none.',
      tooltip: 'Give each kind of decision its own name when one process waits for several at once.',
      group: 'message',
      type: 'String',
      value: DEFAULT_MESSAGE_NAME,
      binding: { type: 'bpmn:Message#property', name: 'name' },
      constraints: { notEmpty: true }
    },
    {
      id: 'correlationKey',
      label: 'Correlation key',
      description: 'What the flow sends back as <code>correlationKey</code>, read from this process, e.g. '
        + '<code>approvalRequestId</code>: pass the same value to the flow when starting it.',
      tooltip: 'A FEEL expression evaluated when this element is reached; it must come to a string or a number. '
        + 'Only the process whose key equals the callback\'s correlationKey receives the decision.',
      group: 'message',
      type: 'String',
      feel: 'required',
      binding: { type: 'bpmn:Message#zeebe:subscription#property', name: 'correlationKey' },
      constraints: { notEmpty: true }
    }
  ];
}

function template({ idSuffix, title, appliesTo, elementType, what }) {
  return {
    $schema: SCHEMA,
    name: title,
    id: `io.github.feishu-approval-worker.${idSuffix}`,
    version: VERSION,
    description: `${what} waits for the decision an aPaaS flow posts to the worker's callback endpoint `
      + '(POST /feishu/callbacks/<app>); the variables the flow sends (decision, taskId, userId, opinion ...) '
      + 'arrive with it. For Camunda 8.8 and newer.',
    documentationRef: `${README}/blob/main/docs/flow-callbacks.md`,
    keywords: [ 'feishu', 'lark', 'apaas', 'callback', 'decision', 'message', '回调' ],
    category: { id: 'feishu', name: 'Feishu' },
    appliesTo,
    elementType,
    engines: { camunda: '^8.8' },
    icon: { contents: 'data:image/svg+xml;base64,' + Buffer.from(ICON.trim()).toString('base64') },
    groups: [ { id: 'message', label: 'Decision from the aPaaS flow', openByDefault: true } ],
    properties: fields()
  };
}

/** Each template with the file it is written to. */
export const decisionTemplates = [
  {
    file: 'feishu-apaas-decision-event.json',
    template: template({
      idSuffix: 'apaas-decision-event',
      title: 'Feishu: Wait for aPaaS decision (event)',
      appliesTo: [ 'bpmn:IntermediateCatchEvent', 'bpmn:IntermediateThrowEvent' ],
      elementType: { value: 'bpmn:IntermediateCatchEvent', eventDefinition: 'bpmn:MessageEventDefinition' },
      what: 'This message catch event'
    })
  },
  {
    file: 'feishu-apaas-decision-receive-task.json',
    template: template({
      idSuffix: 'apaas-decision-receive-task',
      title: 'Feishu: Wait for aPaaS decision (receive task)',
      appliesTo: [ 'bpmn:Task' ],
      elementType: { value: 'bpmn:ReceiveTask' },
      what: 'This receive task'
    })
  },
  // Feishu Approval's events wait the same way: a message name and a correlation key, no job
  ...approvalEventTemplates
];

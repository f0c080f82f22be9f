// The template that waits for a Feishu Approval (审批 v4) event: a message intermediate catch event, e.g. behind an
// event-based gateway beside a timer. It sets the message the worker's event endpoint publishes for an
// approval_instance or approval_task event (POST /feishu/events/<app>) and the correlation key it is matched by.
const SCHEMA = 'https://unpkg.com/@camunda/zeebe-element-templates-json-schema/resources/schema.json';
const README = 'https://github.com/feishu-approval-worker/feishu-approval-worker';
const INSTANCE_MESSAGE = 'feishu-approval-instance';
const TASK_MESSAGE = 'feishu-approval-task';
const VERSION = 1;

// a bell in a green box: Feishu rings when the approval moves
const ICON = `
<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16"><rect x="0.5" y="0.5" width="15" height="15" rx="3" fill="#1A7F37"/><path d="M8 3.5a3 3 0 0 0-3 3v2.2L4 10.5h8l-1-1.8V6.5a3 3 0 0 0-3-3zM6.8 12a1.3 1.3 0 0 0 2.4 0" fill="none" stroke="#fff" stroke-width="1.4" stroke-linecap="round" stroke-linejoin="round"/></svg>`;

function fields() {
  return [
    {
      id: 'messageName',
      label: 'Event',
      description: `<code>${INSTANCE_MESSAGE}</code>: the instance's status changed (PENDING, APPROVED, REJECTED, `
        + `CANCELED ...); <code>${TASK_MESSAGE}</code>: one of its tasks changed.`,
      tooltip: 'Each status change is its own message: the one pushed on creation is PENDING, so wait again while '
        + 'status is PENDING.',
      group: 'message',
      type: 'Dropdown',
      value: INSTANCE_MESSAGE,
      choices: [
        { name: 'Instance status changed (approval_instance)', value: INSTANCE_MESSAGE },
        { name: 'Task status changed (approval_task)', value: TASK_MESSAGE }
      ],
      binding: { type: 'bpmn:Message#property', name: 'name' }
    },
    {
      id: 'correlationKey',
      label: 'Correlation key',
      description: 'The instance\'s creation uuid, e.g. <code>approvalInstance.uuid</code> from the create job\'s '
        + 'result; for an instance created without a uuid, its instance code.',
      tooltip: 'A FEEL expression evaluated when this element is reached. The worker keys each event by the '
        + 'creation uuid the event carries, else by the instance code.',
      group: 'message',
      type: 'String',
      feel: 'required',
      value: '=approvalInstance.uuid',
      binding: { type: 'bpmn:Message#zeebe:subscription#property', name: 'correlationKey' },
      constraints: { notEmpty: true }
    }
  ];
}

/** Each template with the file it is written to. */
export const approvalEventTemplates = [
  {
    file: 'feishu-approval-v4-event.json',
    template: {
      $schema: SCHEMA,
      name: 'Feishu Approval: Wait for an event',
      id: 'io.github.feishu-approval-worker.approval-v4-event',
      version: VERSION,
      description: 'This message catch event waits for a Feishu Approval event the worker\'s event endpoint '
        + 'publishes (POST /feishu/events/<app>); the variables status, instanceCode, approvalCode, uuid, '
        + 'operateTime, eventType (and taskId, userId, openId for a task) arrive with it. For Camunda 8.8 and newer.',
      documentationRef: `${README}/blob/main/docs/feishu-approval.md`,
      keywords: [ 'feishu', 'lark', 'approval', 'event', 'message', '审批' ],
      category: { id: 'feishu', name: 'Feishu' },
      appliesTo: [ 'bpmn:IntermediateCatchEvent', 'bpmn:IntermediateThrowEvent' ],
      elementType: { value: 'bpmn:IntermediateCatchEvent', eventDefinition: 'bpmn:MessageEventDefinition' },
      engines: { camunda: '^8.8' },
      icon: { contents: 'data:image/svg+xml;base64,' + Buffer.from(ICON.trim()).toString('base64') },
      groups: [ { id: 'message', label: 'Event from Feishu Approval', openByDefault: true } ],
      properties: fields()
    }
  }
];

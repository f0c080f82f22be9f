// Turns one operation's definition into its element template: the metadata, the groups, the shared fields and the
// hidden bindings every template has. The elementTemplateVersion header is taken from `version` here and nowhere else.
import { feishuApp, resultVariable, retries, retryBackoff, tenantKey } from './fields.mjs';

const SCHEMA = 'https://unpkg.com/@camunda/zeebe-element-templates-json-schema/resources/schema.json';
const README = 'https://github.com/feishu-approval-worker/feishu-approval-worker';

// The order a property's keys appear in, so that the files read alike and diff cleanly.
const PROPERTY_KEYS = [
  'id', 'label', 'description', 'tooltip', 'group', 'type', 'feel', 'optional', 'value', 'choices', 'binding',
  'constraints'
];

/** The template id of an operation, e.g. io.github.feishu-approval-worker.reject. */
export function templateId(operation) {
  return `io.github.feishu-approval-worker.${operation.name}`;
}

export function elementTemplate(operation) {
  const id = templateId(operation);
  const hidden = (binding, value, propertyId) => ({ id: propertyId, type: 'Hidden', value, binding });
  return {
    $schema: SCHEMA,
    name: operation.title,
    id,
    version: operation.version,
    description: operation.description,
    documentationRef: operation.documentationRef || `${README}#${operation.anchor}`,
    keywords: [ ...(operation.baseKeywords || [ 'feishu', 'lark', 'apaas' ]), ...operation.keywords ],
    category: { id: 'feishu', name: 'Feishu' },
    appliesTo: [ 'bpmn:Task' ],
    elementType: { value: 'bpmn:ServiceTask' },
    engines: { camunda: '^8.8' },
    icon: { contents: 'data:image/svg+xml;base64,' + Buffer.from(operation.icon.trim()).toString('base64') },
    groups: [
      { id: operation.group.id, label: operation.group.label, openByDefault: true },
      { id: 'app', label: 'Feishu app' },
      { id: 'output', label: 'Output' },
      { id: 'retries', label: 'Errors and retries', tooltip: errorsTooltip(operation.exampleError) }
    ],
    properties: [
      hidden({ type: 'zeebe:taskDefinition', property: 'type' }, operation.jobType),
      ...operation.fields.map(field => ({ ...field, group: operation.group.id })),
      { ...feishuApp(operation.storeApps !== false), group: 'app' },
      // Feishu offers some APIs to self-built apps only: their templates have no customer tenant to name
      ...(operation.storeApps === false ? [] : [ { ...tenantKey(), group: 'app' } ]),
      { ...resultVariable(operation.result), group: 'output' },
      { ...retries(), group: 'retries' },
      { ...retryBackoff(), group: 'retries' },
      ...(operation.headers || []).map(header => ({ ...header, group: 'retries' })),
      hidden({ type: 'zeebe:taskHeader', key: 'elementTemplateId' }, id, 'elementTemplateId'),
      hidden({ type: 'zeebe:taskHeader', key: 'elementTemplateVersion' }, String(operation.version),
        'elementTemplateVersion')
    ].map(inPropertyOrder)
  };
}

/** The file a template is written to, and the name a diagram's task records it by. */
export function fileName(operation) {
  return `${operation.jobType}.json`;
}

/** The template as the file holds it: two-space indentation, a final newline, no undefined keys. */
export function serialize(template) {
  return JSON.stringify(template, null, 2) + '\n';
}

function errorsTooltip({ code, msg } = { code: 2320001, msg: 'param is invalid' }) {
  return `A Feishu business error, such as code ${code} (${msg}), is thrown as a BPMN error whose error `
    + `code is the Feishu code as text, "${code}", with the variables feishuErrorCode, feishuErrorMsg and `
    + 'feishuLogId: catch it with an error boundary event. Temporary failures are retried; when the retries are '
    + 'spent, an incident is raised.';
}

function inPropertyOrder(property) {
  const rank = key => (PROPERTY_KEYS.includes(key) ? PROPERTY_KEYS.indexOf(key) : PROPERTY_KEYS.length);
  return Object.fromEntries(Object.entries(property).sort(([ a ], [ b ]) => rank(a) - rank(b)));
}

// What a modeler does in Camunda Modeler, done on the page from browser.mjs: open a diagram, load the templates,
// pick one for a task, open its groups, save the diagram.

/** A process with one service task, FeishuTask, between a start and an end event, made for Camunda 8.8. */
export function serviceTaskDiagram(processId) {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
    xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:modeler="http://camunda.org/schema/modeler/1.0"
    id="Definitions_${processId}" targetNamespace="http://bpmn.io/schema/bpmn"
    modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.8.0">
  <bpmn:process id="${processId}" isExecutable="true">
    <bpmn:startEvent id="Start"><bpmn:outgoing>ToTask</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="ToTask" sourceRef="Start" targetRef="FeishuTask" />
    <bpmn:serviceTask id="FeishuTask" name="Feishu">
      <bpmn:incoming>ToTask</bpmn:incoming><bpmn:outgoing>ToDone</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="ToDone" sourceRef="FeishuTask" targetRef="Done" />
    <bpmn:endEvent id="Done"><bpmn:incoming>ToDone</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
  <bpmndi:BPMNDiagram id="Diagram"><bpmndi:BPMNPlane id="Plane" bpmnElement="${processId}">
    <bpmndi:BPMNShape id="Start_di" bpmnElement="Start"><dc:Bounds x="100" y="122" width="36" height="36" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="FeishuTask_di" bpmnElement="FeishuTask"><dc:Bounds x="190" y="100" width="100" height="80" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="Done_di" bpmnElement="Done"><dc:Bounds x="350" y="122" width="36" height="36" /></bpmndi:BPMNShape>
    <bpmndi:BPMNEdge id="ToTask_di" bpmnElement="ToTask"><di:waypoint x="136" y="140" /><di:waypoint x="190" y="140" /></bpmndi:BPMNEdge>
    <bpmndi:BPMNEdge id="ToDone_di" bpmnElement="ToDone"><di:waypoint x="290" y="140" /><di:waypoint x="350" y="140" /></bpmndi:BPMNEdge>
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>`;
}

/**
 * Opens the diagram and loads the templates through the Modeler's own loader, with the diagram's Camunda version as
 * the engine. Returns the loader's errors, one message per template it refused.
 */
export async function openDiagram(page, { xml, templates, camunda = '8.8.0' }) {
  return page.evaluate(async ({ xml, templates, camunda }) => {
    const modeler = window.modeler = window.createModeler();
    const errors = [];
    modeler.get('eventBus').on('elementTemplates.errors', event => {
      errors.push(...event.errors.map(error => error.message));
    });
    await modeler.importXML(xml);
    modeler.get('elementTemplates').setEngines({ camunda });
    modeler.get('elementTemplatesLoader').setTemplates(templates);
    return errors;
  }, { xml, templates, camunda });
}

/** Picks a template for an element, as the Modeler's template chooser does, and selects the element. */
export async function applyTemplate(page, elementId, { id, version }) {
  await page.evaluate(({ elementId, id, version }) => {
    const elementTemplates = window.modeler.get('elementTemplates');
    const template = elementTemplates.get(id, version);
    if (!template) {
      throw new Error(`template ${id} version ${version} is not loaded`);
    }
    elementTemplates.applyTemplate(window.modeler.get('elementRegistry').get(elementId), template);
  }, { elementId, id, version });
  await selectElement(page, elementId);
}

/** Selects an element and waits for the panel to show its template. */
export async function selectElement(page, elementId) {
  const templateGroup = page.locator('#panel [data-group-id="group-ElementTemplates__Template"]');
  // a panel that has only just rendered may not listen to selections yet: select again until it shows the element
  for (let attempt = 0; attempt < 20; attempt++) {
    await page.evaluate(elementId => {
      const selection = window.modeler.get('selection');
      selection.select(null);
      selection.select(window.modeler.get('elementRegistry').get(elementId));
    }, elementId);
    try {
      await templateGroup.waitFor({ timeout: 500 });
      return;
    } catch {
      // not yet
    }
  }
  throw new Error(`the properties panel never showed the template of ${elementId}`);
}

/** Opens every group of the applied template that is still closed. */
export async function openTemplateGroups(page) {
  const closed = page.locator('#panel [data-group-id^="group-ElementTemplates__CustomProperties"] '
    + '.bio-properties-panel-group-header:not(.open)');
  while (await closed.count()) {
    await closed.first().click();
  }
}

export async function saveXml(page) {
  return page.evaluate(async () => (await window.modeler.saveXML({ format: true })).xml);
}

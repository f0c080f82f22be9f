// The upgrade a modeler makes, in the libraries Camunda Modeler runs, in headless Chromium: for each operation,
// apply version 1 of its template to a task, fill the fields in the properties panel, take the panel's update to the
// current version, and check that the typed values survived. Writes each upgraded diagram to
// <output folder>/<job type>.bpmn, which the Java test TemplateUpgradeProcessTest runs against the worker.
// Run with `npm run upgrade -- <output folder>`; Maven runs it before the worker module's tests, into its target/.
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { BpmnModdle } from 'bpmn-moddle';

import { openModelerPage, withBrowser } from './page/browser.mjs';
import {
  applyTemplate, openDiagram, openTemplateGroups, saveXml, selectElement, serviceTaskDiagram
} from './page/session.mjs';
import { upgradePlans } from './upgrade-plans.mjs';

const require = createRequire(import.meta.url);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const templatesDir = join(repoRoot, 'element-templates');
const outputDir = resolve(process.argv[2] ?? join(repoRoot, 'target', 'modeler-upgrade'));

async function readTemplates(dir) {
  const names = (await readdir(dir)).filter(name => name.endsWith('.json')).sort();
  return Promise.all(names.map(async name => JSON.parse(await readFile(join(dir, name), 'utf8'))));
}

/** Types a value into the field a template property shows, as a modeler does: click it, replace what it holds. */
async function typeInto(page, property, value) {
  const field = page.locator('#panel').getByLabel(property.label, { exact: true });
  if (property.type === 'Dropdown') {
    await field.selectOption(value);
    return;
  }
  await field.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  if (property.feel === 'optional' && value.startsWith('=')) {
    // a leading = turns the field into a FEEL editor, which takes the focus; type the rest there
    await page.keyboard.type('=');
    await page.locator(`#panel [contenteditable="true"][aria-label="${property.label}"]`).waitFor();
    await page.waitForFunction(label => document.activeElement?.getAttribute('aria-label') === label, property.label);
    await page.keyboard.type(value.slice(1));
  } else {
    await page.keyboard.type(value);
  }
}

/** Leaves the last field by clicking the panel's header, so that it writes its value. */
async function leaveField(page) {
  await page.locator('#panel .bio-properties-panel-header').click();
}

/** Takes the update the panel offers for an outdated template: its header's menu, then "Update". */
async function takeOfferedUpdate(page, version) {
  const offer = page.locator('#panel .bio-properties-panel-template-update-available');
  await offer.click();
  const text = `A new version of the template is available: ${version}`;
  await page.locator('#panel').getByText(text).waitFor();
  await page.locator('#panel').getByText('Update', { exact: true }).click();
  await page.locator('#panel .bio-properties-panel-template-update-available').waitFor({ state: 'detached' });
}

const moddle = new BpmnModdle({ zeebe: require('zeebe-bpmn-moddle/resources/zeebe.json') });

/** The task's template attributes and every value its bindings hold, as the engine will read them. */
async function bindingsOf(xml) {
  const { rootElement } = await moddle.fromXML(xml, 'bpmn:Definitions');
  const task = rootElement.rootElements[0].flowElements.find(element => element.id === 'FeishuTask');
  const extension = type => (task.extensionElements?.values || []).find(value => value.$type === type);
  const values = {};
  const definition = extension('zeebe:TaskDefinition');
  values['taskDefinition:type'] = definition?.type;
  values['taskDefinition:retries'] = definition?.retries;
  for (const input of extension('zeebe:IoMapping')?.inputParameters || []) {
    values[`input:${input.target}`] = input.source;
  }
  for (const header of extension('zeebe:TaskHeaders')?.values || []) {
    values[`header:${header.key}`] = header.value;
  }
  return {
    template: task.modelerTemplate, version: task.modelerTemplateVersion, icon: task.modelerTemplateIcon, values
  };
}

function bindingKey(property) {
  const { binding } = property;
  switch (binding.type) {
  case 'zeebe:input': return `input:${binding.name}`;
  case 'zeebe:taskHeader': return `header:${binding.key}`;
  case 'zeebe:taskDefinition': return `taskDefinition:${binding.property}`;
  default: throw new Error(`a binding this test does not know: ${JSON.stringify(binding)}`);
  }
}

/** What the XML must hold once a template is applied and the plan's values are typed. */
function expectedBindings(template, typed) {
  const expected = {};
  for (const property of template.properties) {
    const key = bindingKey(property);
    if (property.id in typed) {
      // a FEEL-only field stores what was typed behind the = it supplies
      expected[key] = property.feel === 'required' ? `=${typed[property.id]}` : typed[property.id];
    } else if (property.value !== undefined && property.value !== '') {
      expected[key] = String(property.value);
    } else {
      expected[key] = undefined;
    }
  }
  return expected;
}

/** How the bindings differ from the expected ones, and which typed fields the template no longer has. */
function differences(actual, expected, template, typed) {
  const lost = Object.keys(typed).filter(id => !template.properties.some(property => property.id === id))
    .map(id => `the field ${id} the modeler filled in is gone`);
  const keys = new Set([ ...Object.keys(expected), ...Object.keys(actual) ]);
  return [ ...lost, ...[ ...keys ].filter(key => actual[key] !== expected[key])
    .map(key => `${key} is ${JSON.stringify(actual[key])}, expected ${JSON.stringify(expected[key])}`) ];
}

async function untilBindingsHold(page, template, typed) {
  // the panel writes a typed value after a short debounce
  let problems = [];
  for (let attempt = 0; attempt < 50; attempt++) {
    problems = differences((await bindingsOf(await saveXml(page))).values, expectedBindings(template, typed), template,
      typed);
    if (!problems.length) {
      return [];
    }
    await page.waitForTimeout(100);
  }
  return problems;
}

async function shownErrors(page) {
  return page.locator('#panel .bio-properties-panel-error').allTextContents();
}

async function upgradeOne(context, plan, templates) {
  const page = await openModelerPage(context, { height: 2000 });
  const problems = [];
  try {
    const loadErrors = await openDiagram(page, { xml: serviceTaskDiagram(plan.processId), templates });
    problems.push(...loadErrors.map(error => `the Modeler refused a template: ${error}`));

    const current = templates.filter(template => template.id === plan.templateId)
      .reduce((latest, template) => (template.version > latest.version ? template : latest));
    const old = templates.find(template => template.id === plan.templateId && template.version === 1);

    await applyTemplate(page, 'FeishuTask', old);
    await openTemplateGroups(page);
    for (const [ propertyId, value ] of Object.entries(plan.typed)) {
      await typeInto(page, old.properties.find(property => property.id === propertyId), value);
    }
    await leaveField(page);
    problems.push(...(await untilBindingsHold(page, old, plan.typed))
      .map(problem => `version 1, as typed: ${problem}`));

    await takeOfferedUpdate(page, current.version);
    await openTemplateGroups(page);
    const xml = await saveXml(page);
    const upgraded = await bindingsOf(xml);
    problems.push(...differences(upgraded.values, expectedBindings(current, plan.typed), current, plan.typed)
      .map(problem => `after the update to version ${current.version}: ${problem}`));
    if (upgraded.version !== current.version || upgraded.template !== current.id) {
      problems.push(`after the update the task names ${upgraded.template} version ${upgraded.version}`);
    }
    if (upgraded.icon !== current.icon.contents) {
      problems.push('after the update the task still shows the old icon');
    }
    problems.push(...(await shownErrors(page)).map(error => `after the update the panel shows an error: ${error}`));
    await writeFile(join(outputDir, `${plan.jobType}.bpmn`), xml);
    problems.push(...await olderCamundaProblems(context, xml, templates, current));
    problems.push(...page.pageErrors.map(error => `the page threw: ${error.message}`));
  } finally {
    await page.close();
  }
  return problems;
}

/** The same diagram made for Camunda 8.7: none of our templates is offered, and the task's says it is incompatible. */
async function olderCamundaProblems(context, xml, templates, current) {
  const page = await openModelerPage(context);
  try {
    const older = xml.replace('modeler:executionPlatformVersion="8.8.0"', 'modeler:executionPlatformVersion="8.7.0"');
    await openDiagram(page, { xml: older, templates, camunda: '8.7.0' });
    const offered = await page.evaluate(id => window.modeler.get('elementTemplates').getLatest(id).length, current.id);
    await selectElement(page, 'FeishuTask');
    const problems = offered ? [ `a diagram for Camunda 8.7 is still offered ${current.id}` ] : [];
    if (!await page.locator('#panel .bio-properties-panel-template-incompatible').count()) {
      problems.push('a diagram for Camunda 8.7 does not show the task\'s template as incompatible');
    }
    return problems;
  } finally {
    await page.close();
  }
}

async function main() {
  // no diagram of an earlier run may stand in for one this run failed to make
  await rm(outputDir, { recursive: true, force: true });
  await mkdir(outputDir, { recursive: true });
  const templates = [ ...await readTemplates(templatesDir), ...await readTemplates(join(templatesDir, 'versioned')) ];
  let passed = 0;
  let failed = 0;
  await withBrowser(async context => {
    for (const plan of upgradePlans) {
      const problems = await upgradeOne(context, plan, templates);
      if (problems.length) {
        failed++;
        console.log(`FAIL upgrade ${plan.jobType}`);
        problems.forEach(problem => console.log(`  error   ${problem}`));
      } else {
        passed++;
        console.log(`ok   upgrade ${plan.jobType}: version 1 filled in, updated, values kept`);
      }
    }
  });
  console.log(`modeler-upgrade: ${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

main().catch(error => {
  console.error(error);
  console.log('modeler-upgrade: 0 passed, 1 failed');
  process.exitCode = 1;
});

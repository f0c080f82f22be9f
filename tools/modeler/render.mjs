// Renders each bpmn/*.bpmn to bpmn/<name>.png with the bpmn-js viewer, and the properties panel of each element
// template to element-templates/pictures/<job type>.png, in the headless Chromium that page/browser.mjs finds. Run
// with `npm run render`. Nothing is served: the pages are built in memory.
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { openModelerPage, withBrowser } from './page/browser.mjs';
import { applyTemplate, openDiagram, openTemplateGroups, serviceTaskDiagram } from './page/session.mjs';

const require = createRequire(import.meta.url);
const bpmnDir = fileURLToPath(new URL('../../bpmn/', import.meta.url));
const templatesDir = fileURLToPath(new URL('../../element-templates/', import.meta.url));
const picturesDir = join(templatesDir, 'pictures');

const margin = 30;
const scale = 2;

// The bpmn.io logo must stay visible; this strip below the diagram keeps it off the labels.
const logoStrip = 50;

async function renderDiagram(context, file) {
  const page = await context.newPage();

  // Only the in-memory page is allowed; any other request is a mistake.
  await page.route('**/*', route => route.abort());

  await page.setContent(`<!DOCTYPE html>
    <html><head><meta charset="utf-8"><style>
      html, body { margin: 0; background: #fff; }
      #canvas { width: 100vw; height: 100vh; }
    </style></head><body><div id="canvas"></div></body></html>`);
  await page.addStyleTag({ path: require.resolve('bpmn-js/dist/assets/diagram-js.css') });
  await page.addStyleTag({ path: require.resolve('bpmn-js/dist/assets/bpmn-js.css') });
  await page.addScriptTag({ path: require.resolve('bpmn-js/dist/bpmn-viewer.production.min.js') });

  const xml = await readFile(file, 'utf8');

  const box = await page.evaluate(async ({ xml, margin }) => {
    const viewer = new window.BpmnJS({ container: '#canvas' });
    const { warnings } = await viewer.importXML(xml);
    if (warnings.length) {
      throw new Error(warnings.map(warning => warning.message).join('\n'));
    }
    const canvas = viewer.get('canvas');
    const bounds = canvas.getActiveLayer().getBBox();
    window.diagram = { canvas, bounds };
    return {
      width: Math.ceil(bounds.width + 2 * margin),
      height: Math.ceil(bounds.height + 2 * margin)
    };
  }, { xml, margin });

  await page.setViewportSize({ width: box.width, height: box.height + logoStrip });

  // Show the diagram at 1:1 from the top-left margin, after the resize.
  await page.evaluate(({ margin }) => {
    const { canvas, bounds } = window.diagram;
    canvas.resized();
    canvas.viewbox({
      x: bounds.x - margin,
      y: bounds.y - margin,
      width: bounds.width + 2 * margin,
      height: bounds.height + 2 * margin
    });
  }, { margin });

  const output = join(bpmnDir, basename(file, '.bpmn') + '.png');
  await page.screenshot({ path: output, fullPage: false });
  await page.close();

  return output;
}

/** The panel as a modeler sees it right after choosing the template for a task, with every group opened. */
async function renderTemplatePanel(context, file) {
  const template = JSON.parse(await readFile(file, 'utf8'));
  const page = await openModelerPage(context, { width: 900, height: 3200, panelWidth: 400 });
  try {
    const errors = await openDiagram(page, { xml: serviceTaskDiagram('Picture'), templates: [ template ] });
    if (errors.length) {
      throw new Error(`${basename(file)}: ${errors.join('; ')}`);
    }
    await applyTemplate(page, 'FeishuTask', template);
    await openTemplateGroups(page);
    await page.addStyleTag({ content: '#panel { height: auto; align-self: flex-start; overflow: visible; }' });
    // no hover, no focus: nothing but the panel's resting state
    await page.mouse.move(0, 0);
    await page.evaluate(() => document.activeElement?.blur());
    const output = join(picturesDir, basename(file, '.json') + '.png');
    await page.locator('#panel').screenshot({ path: output });
    return output;
  } finally {
    await page.close();
  }
}

async function main() {
  const files = (await readdir(bpmnDir))
    .filter(name => name.endsWith('.bpmn'))
    .sort()
    .map(name => join(bpmnDir, name));
  const templateFiles = (await readdir(templatesDir))
    .filter(name => name.endsWith('.json'))
    .sort()
    .map(name => join(templatesDir, name));
  await mkdir(picturesDir, { recursive: true });

  await withBrowser(async context => {
    for (const file of files) {
      console.log(`rendered ${await renderDiagram(context, file)}`);
    }
    for (const file of templateFiles) {
      console.log(`rendered ${await renderTemplatePanel(context, file)}`);
    }
  }, { scale });
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});

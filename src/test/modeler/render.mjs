// Renders each bpmn/*.bpmn to bpmn/<name>.png with the bpmn-js viewer in headless
// Chromium. Run with `npm run render`; needs the devDependencies and a Chromium binary
// (CHROMIUM, default /usr/bin/chromium). Nothing is served: the page is built in memory.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const bpmnDir = fileURLToPath(new URL('../../../bpmn/', import.meta.url));
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';

const margin = 30;
const scale = 2;

// The bpmn.io logo must stay visible; this strip below the diagram keeps it off the labels.
const logoStrip = 50;

const chromiumFlags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync'
];

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

async function main() {
  const files = (await readdir(bpmnDir))
    .filter(name => name.endsWith('.bpmn'))
    .sort()
    .map(name => join(bpmnDir, name));

  const userDataDir = await mkdtemp(join(tmpdir(), 'bpmn-render-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: chromiumFlags,
    deviceScaleFactor: scale,
    offline: true
  });

  try {
    for (const file of files) {
      console.log(`rendered ${await renderDiagram(context, file)}`);
    }
  } finally {
    await context.close();
    await rm(userDataDir, { recursive: true, force: true });
  }
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});

// Headless Chromium for the Modeler page and the pictures: no network, a fresh profile each run.
import { access, constants, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium } from 'playwright-core';

import { modelerBundle } from './bundle.mjs';

const debianChromium = '/usr/bin/chromium';

// the same for every binary: @sparticuz/chromium's serverless flags (--single-process and the like) are not needed here
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

const isExecutable = path => access(path, constants.X_OK).then(() => true, () => false);

/** The binary in CHROMIUM, else /usr/bin/chromium, else the headless Chromium that @sparticuz/chromium ships. */
async function chromiumBinary() {
  const named = process.env.CHROMIUM;
  if (named) {
    if (!await isExecutable(named)) {
      throw new Error(`CHROMIUM names ${named}, which is not an executable: name a Chromium binary or unset it`);
    }
    return named;
  }
  if (await isExecutable(debianChromium)) {
    return debianChromium;
  }
  try {
    // unpacks the binary to the temp dir once; later runs reuse it
    return await (await import('@sparticuz/chromium')).default.executablePath();
  } catch (error) {
    throw new Error(`no Chromium: CHROMIUM is unset, there is no ${debianChromium}, and @sparticuz/chromium gave none `
      + `(${error.message}): run npm ci in tools/modeler, name a binary in CHROMIUM, or build with -Dmodeler.skip`);
  }
}

/** Runs {@code work(context)} in a fresh headless Chromium and closes it afterwards, whatever happens. */
export async function withBrowser(work, { scale = 1 } = {}) {
  const executablePath = await chromiumBinary();
  const userDataDir = await mkdtemp(join(tmpdir(), 'feishu-modeler-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      args: chromiumFlags,
      deviceScaleFactor: scale,
      offline: true
    });
    return await work(context);
  } finally {
    await context?.close();
    await rm(userDataDir, { recursive: true, force: true });
  }
}

let bundle;

/** A page with the Modeler libraries loaded: a canvas on the left, the properties panel on the right. */
export async function openModelerPage(context, { width = 1200, height = 900, panelWidth = 420 } = {}) {
  bundle ??= await modelerBundle();
  const page = await context.newPage();

  // Only the in-memory page is allowed; any other request is a mistake.
  await page.route('**/*', route => route.abort());
  const errors = [];
  page.on('pageerror', error => errors.push(error));

  await page.setViewportSize({ width, height });
  await page.setContent(`<!DOCTYPE html>
    <html><head><meta charset="utf-8"><style>
      html, body { margin: 0; height: 100%; background: #fff; font-family: sans-serif; }
      body { display: flex; }
      #canvas { flex: 1; height: 100%; }
      #panel { width: ${panelWidth}px; height: 100%; overflow: auto; border-left: 1px solid #ccc; }
    </style></head><body><div id="canvas"></div><div id="panel"></div></body></html>`);
  await page.addStyleTag({ content: bundle.style });
  await page.addScriptTag({ content: bundle.script });
  page.pageErrors = errors;
  return page;
}

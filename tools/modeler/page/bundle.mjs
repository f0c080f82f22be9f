// Builds page/modeler.js and the libraries' stylesheets into one script and one stylesheet, in memory.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('./modeler.js', import.meta.url));

export async function modelerBundle() {
  const result = await build({
    entryPoints: [ entry ],
    bundle: true,
    write: false,
    outdir: 'page',
    format: 'iife',
    target: 'es2022',
    logLevel: 'silent',
    // the bpmn font and the panel's icons are referenced from the stylesheets
    loader: { '.woff': 'dataurl', '.woff2': 'dataurl', '.ttf': 'dataurl', '.eot': 'dataurl', '.svg': 'dataurl' }
  });
  const text = extension => result.outputFiles.find(file => file.path.endsWith(extension)).text;
  return { script: text('.js'), style: text('.css') };
}

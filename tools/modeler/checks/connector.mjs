// The connector's templates (element-templates/connector/): valid for the Modeler and exactly what generate.mjs writes
// from the operations' definitions, one for each operation.
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

import { connectorFileName, connectorTemplate } from '../templates/connector.mjs';
import { operations } from '../templates/operations.mjs';
import { serialize } from '../templates/template.mjs';

/** Each connector template file with its problems; `validate` is the element template schema's. */
export async function connectorTemplateResults(templatesDir, validate) {
  const dir = join(templatesDir, 'connector');
  const names = (await readdir(dir).catch(() => [])).filter(name => name.endsWith('.json')).sort();
  const results = names.map(name => ({ file: join(dir, name), problems: [] }));
  for (const result of results) {
    const text = await readFile(result.file, 'utf8');
    const operation = operations.find(candidate => connectorFileName(candidate) === basename(result.file));
    if (!validate(JSON.parse(text))) {
      result.problems.push(...validate.errors.map(error => `${error.instancePath || '/'}: ${error.message}`));
    }
    if (!operation) {
      result.problems.push('no definition in templates/ writes this file');
    } else if (text !== serialize(connectorTemplate(operation))) {
      result.problems.push('differs from what `npm run generate` writes from templates/: change the definition '
        + 'there, then generate');
    }
  }
  for (const operation of operations) {
    if (!names.includes(connectorFileName(operation))) {
      results.push({ file: join(dir, connectorFileName(operation)), problems: [ 'missing; `npm run generate` writes it' ] });
    }
  }
  return results;
}

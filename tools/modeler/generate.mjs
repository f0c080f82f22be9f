// Writes element-templates/<job type>.json from the definitions in templates/. Run with `npm run generate` after
// changing a definition; `npm test` fails while a committed file differs from what this writes.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { operations } from './templates/operations.mjs';
import { decisionTemplates } from './templates/decision-messages.mjs';
import { elementTemplate, fileName, serialize } from './templates/template.mjs';
import { connectorFileName, connectorTemplate } from './templates/connector.mjs';

const templatesDir = fileURLToPath(new URL('../../element-templates/', import.meta.url));

for (const operation of operations) {
  const file = join(templatesDir, fileName(operation));
  await writeFile(file, serialize(elementTemplate(operation)));
  console.log(`wrote ${file}`);
}

for (const { file: name, template } of decisionTemplates) {
  const file = join(templatesDir, name);
  await writeFile(file, serialize(template));
  console.log(`wrote ${file}`);
}

// the connector's templates, beside the worker's, from the same definitions
for (const operation of operations) {
  const file = join(templatesDir, 'connector', connectorFileName(operation));
  await writeFile(file, serialize(connectorTemplate(operation)));
  console.log(`wrote ${file}`);
}

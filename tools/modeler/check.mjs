// Validates element-templates/*.json (and the earlier versions in element-templates/versioned/) against Camunda's
// element template schema, checks what the current templates say (checks/texts.mjs), their versions
// (checks/versions.mjs) and that they are what generate.mjs writes, and lints bpmn/*.bpmn with bpmnlint for
// Camunda 8.8. Run with `npm test`.
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import Ajv from 'ajv';
import { BpmnModdle } from 'bpmn-moddle';
import bpmnlint from 'bpmnlint';
import NodeResolver from 'bpmnlint/lib/resolver/node-resolver.js';

import { connectorTemplateResults } from './checks/connector.mjs';
import { jobTypeOf, textProblems } from './checks/texts.mjs';
import { headerProblems, missingVersions, versionedProblems } from './checks/versions.mjs';
import { decisionTemplates } from './templates/decision-messages.mjs';
import { operations } from './templates/operations.mjs';
import { elementTemplate, fileName, serialize } from './templates/template.mjs';

const require = createRequire(import.meta.url);
const zeebeModdle = require('zeebe-bpmn-moddle/resources/zeebe.json');
const modelerModdle = require('modeler-moddle/resources/modeler.json');
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

// Overridable so a broken copy can be checked without touching the repository.
const templatesDir = process.env.TEMPLATES_DIR || join(repoRoot, 'element-templates');
const bpmnDir = process.env.BPMN_DIR || join(repoRoot, 'bpmn');

const lintConfig = {
  extends: [ 'bpmnlint:recommended', 'plugin:camunda-compat/camunda-cloud-8-8' ]
};

async function filesIn(dir, extension) {
  const names = await readdir(dir).catch(() => []);
  return names.filter(name => name.endsWith(extension)).sort().map(name => join(dir, name));
}

function templateValidator() {
  const schema = require('@camunda/zeebe-element-templates-json-schema/resources/schema.json');

  // The schema is draft-07, compares property ids through $data and carries
  // its own annotation keywords (deprecated, deprecationWarning).
  const ajv = new Ajv({ allErrors: true, strict: false, $data: true });
  ajv.addSchema(schema);

  // Validating a single template against #/definitions/template directly avoids
  // the noise of the top-level oneOf (single template or list of templates).
  return ajv.getSchema(`${schema.$id}#/definitions/template`);
}

function describeSchemaError(error) {
  const where = error.instancePath || '/';
  const details = error.params && Object.keys(error.params).length
    ? ' ' + JSON.stringify(error.params)
    : '';
  return `${where}: ${error.message}${details}`;
}

// The schema cannot see that a pattern is a valid JavaScript regular expression, nor
// that a field's default value passes its own constraints; the Modeler would reject it.
function defaultsBreakingConstraints(template) {
  const problems = [];

  template.properties.forEach((property, index) => {
    const pattern = property.constraints?.pattern;
    if (!pattern) {
      return;
    }
    const source = typeof pattern === 'string' ? pattern : pattern.value;
    let regex;
    try {
      regex = new RegExp(source);
    } catch (error) {
      problems.push(`/properties/${index}/constraints/pattern: not a valid regular expression: ${error.message}`);
      return;
    }
    if (typeof property.value === 'string' && property.value !== '' && !regex.test(property.value)) {
      problems.push(`/properties/${index}/value: default ${JSON.stringify(property.value)} does not match its pattern ${source}`);
    }
  });

  return problems;
}

/** The template in a file and the problems the schema finds; a file of several templates is not ours. */
async function readTemplate(file, validate) {
  let content;
  try {
    content = await readFile(file, 'utf8');
    content = { text: content, template: JSON.parse(content) };
  } catch (error) {
    return { problems: [ `not readable as JSON: ${error.message}` ] };
  }
  const { text, template } = content;
  if (Array.isArray(template)) {
    return { problems: [ 'holds a list of templates; each template has a file of its own here' ] };
  }
  if (!validate(template)) {
    return { text, template, problems: validate.errors.map(describeSchemaError), invalid: true };
  }
  return { text, template, problems: defaultsBreakingConstraints(template) };
}

/**
 * A template that waits for a flow's decision has no job, so no job type or headers: it must be what generate.mjs
 * writes, carry a version and describe every field.
 */
function decisionTemplateProblems(file, text, template) {
  const definition = decisionTemplates.find(candidate => candidate.file === basename(file));
  const problems = [];
  if (!Number.isInteger(template.version)) {
    problems.push('/version: missing; a template without a version cannot be upgraded');
  }
  template.properties.forEach((property, index) => {
    if (property.type !== 'Hidden' && !property.description) {
      problems.push(`/properties/${index} (${property.id}): has no description`);
    }
  });
  if (text !== serialize(definition.template)) {
    problems.push('differs from what `npm run generate` writes from templates/: change the definition there, then '
      + 'generate');
  }
  return problems;
}

function isDecisionTemplate(file) {
  return decisionTemplates.some(candidate => candidate.file === basename(file));
}

/** A current template must be exactly what generate.mjs writes for its operation. */
function generatedProblems(file, text) {
  const operation = operations.find(candidate => fileName(candidate) === basename(file));
  if (!operation) {
    return [ 'no definition in templates/ writes this file' ];
  }
  return text === serialize(elementTemplate(operation))
    ? []
    : [ 'differs from what `npm run generate` writes from templates/: change the definition there, then generate' ];
}

function report(kind, file, problems) {
  console.log(`${problems.length ? 'FAIL' : 'ok  '} ${kind} ${basename(file)}`);
  problems.forEach(problem => console.log(`  error   ${problem}`));
  return problems.length === 0;
}

async function checkTemplates(validate) {
  const currentFiles = await filesIn(templatesDir, '.json');
  const versionedFiles = await filesIn(join(templatesDir, 'versioned'), '.json');
  const read = files => Promise.all(files.map(async file => ({ file, ...await readTemplate(file, validate) })));
  const current = await read(currentFiles);
  const versioned = await read(versionedFiles);
  const currentByJobType = new Map(current.filter(entry => entry.template && !entry.invalid)
    .map(entry => [ jobTypeOf(entry.template), entry.template ]));

  // the Modeler's template chooser lists templates by name: two with one name cannot be told apart there
  const namedAlike = entry => current.filter(other => other !== entry && other.template && entry.template
    && other.template.name === entry.template.name).map(other => basename(other.file));

  const results = [];
  for (const entry of current) {
    const problems = [ ...entry.problems ];
    const alike = namedAlike(entry);
    if (alike.length) {
      problems.push(`name ${JSON.stringify(entry.template.name)} is also the name of ${alike.join(', ')}`);
    }
    if (entry.template && !entry.invalid && isDecisionTemplate(entry.file)) {
      problems.push(...decisionTemplateProblems(entry.file, entry.text, entry.template));
    } else if (entry.template && !entry.invalid) {
      problems.push(...headerProblems(entry.template), ...textProblems(entry.template),
        ...missingVersions(entry.template, versioned.map(kept => kept.template).filter(Boolean)),
        ...generatedProblems(entry.file, entry.text));
    }
    results.push(report('template ', entry.file, problems));
  }
  // earlier versions are kept as users have them: only their schema, headers and place are checked
  for (const entry of versioned) {
    const problems = [ ...entry.problems ];
    if (entry.template && !entry.invalid) {
      problems.push(...headerProblems(entry.template),
        ...versionedProblems(entry.file, entry.template, currentByJobType));
    }
    results.push(report('versioned', entry.file, problems));
  }
  for (const operation of operations) {
    if (!currentFiles.some(file => basename(file) === fileName(operation))) {
      results.push(report('template ', fileName(operation), [ 'missing; `npm run generate` writes it' ]));
    }
  }
  for (const { file } of decisionTemplates) {
    if (!currentFiles.some(current => basename(current) === file)) {
      results.push(report('template ', file, [ 'missing; `npm run generate` writes it' ]));
    }
  }
  for (const { file, problems } of await connectorTemplateResults(templatesDir, validate)) {
    results.push(report('connector', file, problems));
  }
  return results;
}

function createModdle() {
  return new BpmnModdle({ zeebe: zeebeModdle, modeler: modelerModdle });
}

async function checkDiagram(file) {
  const xml = await readFile(file, 'utf8');

  let rootElement;
  let warnings;
  try {
    ({ rootElement, warnings = [] } = await createModdle().fromXML(xml, 'bpmn:Definitions'));
  } catch (error) {
    return { errors: [ `not readable as BPMN: ${error.message}` ], warnings: [] };
  }

  // Unknown elements or attributes are import warnings; in our own files they are mistakes.
  const errors = warnings.map(warning => `import: ${warning.message.replace(/\s*\n\s*/g, ' ')}`);
  const lintWarnings = [];

  // Rules such as no-duplicate-sequence-flows keep state per linter: one linter per file.
  const linter = new bpmnlint.Linter({ config: lintConfig, resolver: new NodeResolver({ require }) });
  const results = await linter.lint(rootElement);

  for (const [ rule, reports ] of Object.entries(results)) {
    for (const report of reports) {
      const line = `${report.id || '-'}: ${report.message} (${rule})`;
      if (report.category === 'warn') {
        lintWarnings.push(line);
      } else {
        errors.push(line);
      }
    }
  }

  return { errors, warnings: lintWarnings };
}

async function main() {
  const templateResults = await checkTemplates(templateValidator());
  let passed = templateResults.filter(Boolean).length;
  let failed = templateResults.length - passed;

  const diagramFiles = await filesIn(bpmnDir, '.bpmn');

  for (const file of diagramFiles) {
    const { errors, warnings } = await checkDiagram(file);
    if (errors.length) {
      failed++;
      console.log(`FAIL bpmn      ${basename(file)}`);
    } else {
      passed++;
      console.log(`ok   bpmn      ${basename(file)}`);
    }
    errors.forEach(error => console.log(`  error   ${error}`));
    warnings.forEach(warning => console.log(`  warning ${warning}`));
  }

  if (!templateResults.length || !diagramFiles.length) {
    failed++;
    console.log(`FAIL nothing to check in ${!templateResults.length ? templatesDir : bpmnDir}`);
  }

  console.log(`modeler-checks: ${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

main().catch(error => {
  console.error(error);
  console.log('modeler-checks: 0 passed, 1 failed');
  process.exitCode = 1;
});

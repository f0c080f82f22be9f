// Validates element-templates/*.json against Camunda's element template schema
// and lints bpmn/*.bpmn with bpmnlint for Camunda 8.8. Run with `npm test`.
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import Ajv from 'ajv';
import { BpmnModdle } from 'bpmn-moddle';
import bpmnlint from 'bpmnlint';
import NodeResolver from 'bpmnlint/lib/resolver/node-resolver.js';

const require = createRequire(import.meta.url);
const zeebeModdle = require('zeebe-bpmn-moddle/resources/zeebe.json');
const modelerModdle = require('modeler-moddle/resources/modeler.json');
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

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

async function checkTemplate(file, validate) {
  let content;
  try {
    content = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    return [ `not readable as JSON: ${error.message}` ];
  }

  const templates = Array.isArray(content) ? content : [ content ];
  const problems = [];

  templates.forEach((template, index) => {
    const prefix = Array.isArray(content) ? `[${index}] ` : '';
    if (!validate(template)) {
      for (const error of validate.errors) {
        problems.push(prefix + describeSchemaError(error));
      }
      return;
    }
    for (const problem of defaultsBreakingConstraints(template)) {
      problems.push(prefix + problem);
    }
  });

  return problems;
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
  let passed = 0;
  let failed = 0;

  const validate = templateValidator();
  const templateFiles = await filesIn(templatesDir, '.json');

  for (const file of templateFiles) {
    const problems = await checkTemplate(file, validate);
    if (problems.length) {
      failed++;
      console.log(`FAIL template ${basename(file)}`);
      problems.forEach(problem => console.log(`  error   ${problem}`));
    } else {
      passed++;
      console.log(`ok   template ${basename(file)}`);
    }
  }

  const diagramFiles = await filesIn(bpmnDir, '.bpmn');

  for (const file of diagramFiles) {
    const { errors, warnings } = await checkDiagram(file);
    if (errors.length) {
      failed++;
      console.log(`FAIL bpmn     ${basename(file)}`);
    } else {
      passed++;
      console.log(`ok   bpmn     ${basename(file)}`);
    }
    errors.forEach(error => console.log(`  error   ${error}`));
    warnings.forEach(warning => console.log(`  warning ${warning}`));
  }

  if (!templateFiles.length || !diagramFiles.length) {
    failed++;
    console.log(`FAIL nothing to check in ${!templateFiles.length ? templatesDir : bpmnDir}`);
  }

  console.log(`modeler-checks: ${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

main().catch(error => {
  console.error(error);
  console.log('modeler-checks: 0 passed, 1 failed');
  process.exitCode = 1;
});

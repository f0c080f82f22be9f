// Versioning as Camunda's connectors do it: the hidden elementTemplateVersion header follows `version`, and every
// earlier version stays in versioned/ as <job type>-<version>.json, so diagrams made with it keep working and the
// Modeler offers them the update.
import { basename } from 'node:path';

import { jobTypeOf } from './texts.mjs';

function headerValue(template, key) {
  return (template.properties || []).find(property =>
    property.binding?.type === 'zeebe:taskHeader' && property.binding.key === key)?.value;
}

/** Problems of one template, current or earlier: its hidden headers must name it as it is. */
export function headerProblems(template) {
  const problems = [];
  if (!Number.isInteger(template.version)) {
    problems.push('/version: missing; a template without a version cannot be upgraded');
  }
  const version = headerValue(template, 'elementTemplateVersion');
  if (version !== String(template.version)) {
    problems.push(`/properties: the elementTemplateVersion header is ${JSON.stringify(version)}, `
      + `but version is ${template.version}`);
  }
  const id = headerValue(template, 'elementTemplateId');
  if (id !== template.id) {
    problems.push(`/properties: the elementTemplateId header is ${JSON.stringify(id)}, `
      + `but id is ${JSON.stringify(template.id)}`);
  }
  return problems;
}

/** Problems of an earlier version in versioned/, given the current templates by job type. */
export function versionedProblems(file, template, currentByJobType) {
  const jobType = jobTypeOf(template);
  const current = currentByJobType.get(jobType);
  if (!current) {
    return [ `job type ${JSON.stringify(jobType)} has no current template` ];
  }
  const problems = [];
  if (basename(file) !== `${jobType}-${template.version}.json`) {
    problems.push(`the file of version ${template.version} must be named ${jobType}-${template.version}.json`);
  }
  if (template.id !== current.id) {
    problems.push(`/id: ${JSON.stringify(template.id)}, but the current template's id is `
      + JSON.stringify(current.id));
  }
  if (!(template.version < current.version)) {
    problems.push(`/version: ${template.version} is not older than the current version ${current.version}`);
  }
  return problems;
}

/** Earlier versions of a current template that versioned/ lacks. */
export function missingVersions(current, versionedTemplates) {
  const kept = new Set(versionedTemplates.filter(template => template.id === current.id)
    .map(template => template.version));
  const missing = [];
  for (let version = 1; version < current.version; version++) {
    if (!kept.has(version)) {
      missing.push(`version ${version} is not kept in versioned/, so diagrams made with it lose their template`);
    }
  }
  return missing;
}

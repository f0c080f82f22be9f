// Proves that check.mjs catches what it is there to catch: it runs the check on broken copies of the templates
// (through TEMPLATES_DIR) and expects each to fail with the right message. Run by `npm test` after check.mjs.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const here = fileURLToPath(new URL('.', import.meta.url));
const templatesDir = fileURLToPath(new URL('../../element-templates/', import.meta.url));

// Each case breaks a copy in one way and names a line the check must print.
const cases = [
  {
    name: 'an unbroken copy passes',
    expect: null
  },
  {
    name: 'a word of another operation on Agree fails',
    file: 'feishu-approval-agree.json',
    change: template => { property(template, 'opinion').description = 'Why the task is rejected.'; },
    expect: 'names another operation (feishu-approval-reject): "rejected"'
  },
  {
    name: 'a list example with a leading = fails',
    file: 'feishu-approval-transfer.json',
    change: template => {
      property(template, 'fromUserIds').description = 'A list, e.g. <code>=["1783981209205788"]</code>.';
    },
    expect: 'starts with =, but the field supplies the = itself'
  },
  {
    name: 'a number example outside its range fails',
    file: 'feishu-user-task-query.json',
    change: template => { property(template, 'limit').description = 'At most, e.g. <code>100</code>.'; },
    expect: 'the example "100" does not match the field\'s pattern'
  },
  {
    name: 'a version header that does not follow version fails',
    file: 'feishu-approval-reject.json',
    change: template => { property(template, 'elementTemplateVersion').value = '1'; },
    expect: 'the elementTemplateVersion header is "1", but version is 2'
  },
  {
    name: 'a decision template edited by hand fails',
    file: 'feishu-apaas-decision-event.json',
    change: template => { property(template, 'messageName').value = 'edited'; },
    expect: 'differs from what `npm run generate` writes'
  },
  {
    name: 'a decision template whose correlation key has no description fails',
    file: 'feishu-apaas-decision-receive-task.json',
    change: template => { delete property(template, 'correlationKey').description; },
    expect: '(correlationKey): has no description'
  },
  {
    name: 'a missing earlier version fails',
    remove: 'versioned/feishu-approval-agree-1.json',
    expect: 'version 1 is not kept in versioned/'
  }
];

function property(template, id) {
  return template.properties.find(candidate => candidate.id === id);
}

async function checkCopy(testCase) {
  const copy = await mkdtemp(join(tmpdir(), 'templates-'));
  try {
    await cp(templatesDir, copy, { recursive: true });
    if (testCase.file) {
      const file = join(copy, testCase.file);
      const template = JSON.parse(await readFile(file, 'utf8'));
      testCase.change(template);
      await writeFile(file, JSON.stringify(template, null, 2) + '\n');
    }
    if (testCase.remove) {
      await rm(join(copy, testCase.remove));
    }
    try {
      const env = { ...process.env, TEMPLATES_DIR: copy };
      const { stdout } = await run(process.execPath, [ 'check.mjs' ], { cwd: here, env });
      return { failed: false, output: stdout };
    } catch (error) {
      return { failed: true, output: error.stdout || String(error) };
    }
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
}

let passed = 0;
let failed = 0;
for (const testCase of cases) {
  const { failed: checkFailed, output } = await checkCopy(testCase);
  const ok = testCase.expect === null ? !checkFailed : checkFailed && output.includes(testCase.expect);
  if (ok) {
    passed++;
    console.log(`ok   self-test ${testCase.name}`);
  } else {
    failed++;
    const expected = testCase.expect === null ? 'a pass' : JSON.stringify(testCase.expect);
    console.log(`FAIL self-test ${testCase.name}: expected ${expected}`);
    output.split('\n').filter(line => line.startsWith('FAIL') || line.includes('error'))
      .forEach(line => console.log(`  ${line}`));
  }
}
console.log(`modeler-self-test: ${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;

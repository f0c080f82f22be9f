// What a modeler reads in a template: texts that speak only of its own operation, a description on every field,
// examples that are valid input for their field, one empty dropdown entry at most, required fields in an open group.
import { evaluate, parseExpression } from 'feelin';

// The words of each operation, by job type. A template may use its own operation's words and no other's.
const OPERATION_WORDS = {
  'feishu-approval-reject': [ /\breject\w*/i, /拒绝/ ],
  'feishu-approval-agree': [ /\bagree\w*/i, /\bapprov(e|es|ed|ing)\b/i, /同意/ ],
  'feishu-approval-transfer': [ /\btransfer\w*/i, /\bhand(s|ed|ing)?\b.{0,20}\bover\b/i, /转交/ ],
  'feishu-approval-add-assignee': [ /\bassignee\w*/i, /\badd(s|ed|ing)?\b.{0,15}\bapprovers?\b/i, /加签/ ],
  'feishu-approval-instance-cancel': [ /\bcancel\w*/i, /\bwithdr[ae]w\w*/i, /撤回/, /撤销/ ],
  'feishu-user-task-query': [ /\bquer(y|ies|ied|ying)\b/i, /查询/ ],
  'feishu-apaas-flow-execute': [ /\bexecut\w*/i, /\bstart(s|ed|ing)? (an? |the )?(aPaaS )?flow\b/i, /发起流程/ ],
  'feishu-apaas-user-task-expedite': [ /\bexpedit\w*/i, /\bremind\w*/i, /催办/ ],
  'feishu-apaas-user-task-rollback': [ /\broll(s|ed|ing)? (\w+ )?back\b/i, /\bsen(d|ds|t|ding) (\w+ )?back\b/i,
    /(?<!可)退回/ ],
  'feishu-apaas-user-task-rollback-points': [ /\brollback points?\b/i, /可退回/ ],
  'feishu-apaas-user-task-cc': [ /抄送/, /\bsen(d|ds|t|ding) a copy\b/i ],
  'feishu-apaas-user-task-chat-group': [ /\bgroup chat\w*/i, /\bchat group\w*/i, /拉群/ ],
  // Feishu Approval (审批 v4): the same actions keep the same words as their aPaaS siblings
  'feishu-approval-v4-instance-create': [ /\bcreat\w*/i, /发起(?!流程)/ ],
  'feishu-approval-v4-instance-get': [ /\bget\b/i, /详情/ ],
  'feishu-approval-v4-task-approve': [ /\bagree\w*/i, /\bapprov(e|es|ed|ing)\b/i, /同意/ ],
  'feishu-approval-v4-task-reject': [ /\breject\w*/i, /拒绝/ ],
  'feishu-approval-v4-task-transfer': [ /\btransfer\w*/i, /\bhand(s|ed|ing)?\b.{0,20}\bover\b/i, /转交/ ],
  'feishu-approval-v4-task-resubmit': [ /\bresubmit\w*/i, /重新提交/ ],
  'feishu-approval-v4-instance-cancel': [ /\bcancel\w*/i, /\bwithdr[ae]w\w*/i, /撤回/, /撤销/ ],
  'feishu-approval-v4-instance-cc': [ /抄送/, /\bcop(y|ies)\b.{0,20}\bfurther users\b/i ],
  'feishu-approval-v4-instance-add-sign': [ /\badd.sign\w*/i, /加签/ ],
  'feishu-approval-v4-instance-rollback': [ /\broll(s|ed|ing)? (\w+ )?back\b/i, /\bsen(d|ds|t|ding) (\w+ )?back\b/i,
    /(?<!可)退回/ ]
};

export function jobTypeOf(template) {
  const definition = (template.properties || []).find(property =>
    property.binding?.type === 'zeebe:taskDefinition' && property.binding.property === 'type');
  return definition?.value;
}

export function textProblems(template) {
  return [
    ...otherOperationWords(template),
    ...missingDescriptions(template),
    ...badExamples(template),
    ...duplicateEmptyChoices(template),
    ...closedRequiredGroups(template)
  ];
}

/** Every text a modeler reads, with where it is. */
function texts(template) {
  const found = [
    [ '/name', template.name ],
    [ '/description', template.description ],
    ...(template.keywords || []).map((keyword, index) => [ `/keywords/${index}`, keyword ])
  ];
  (template.groups || []).forEach((group, index) => {
    found.push([ `/groups/${index}/label`, group.label ], [ `/groups/${index}/tooltip`, group.tooltip ]);
  });
  (template.properties || []).forEach((property, index) => {
    const at = `/properties/${index}`;
    found.push([ `${at}/label`, property.label ], [ `${at}/description`, property.description ],
      [ `${at}/tooltip`, property.tooltip ],
      [ `${at}/constraints/pattern/message`, property.constraints?.pattern?.message ]);
    (property.choices || []).forEach((choice, choiceIndex) => {
      found.push([ `${at}/choices/${choiceIndex}/name`, choice.name ]);
    });
  });
  return found.filter(([ , text ]) => typeof text === 'string' && text !== '');
}

function otherOperationWords(template) {
  const own = jobTypeOf(template);
  if (!OPERATION_WORDS[own]) {
    return [ `/properties: job type ${JSON.stringify(own)} is none of the operations` ];
  }
  const problems = [];
  const ownWords = new Set(OPERATION_WORDS[own].map(word => word.source));
  for (const [ where, text ] of texts(template)) {
    for (const [ jobType, words ] of Object.entries(OPERATION_WORDS)) {
      if (jobType === own) {
        continue;
      }
      // a word two operations share names the same action in two APIs (aPaaS and Feishu Approval)
      for (const word of words.filter(candidate => !ownWords.has(candidate.source))) {
        const match = text.match(word);
        if (match) {
          problems.push(`${where}: names another operation (${jobType}): "${match[0]}" in ${JSON.stringify(text)}`);
        }
      }
    }
  }
  return problems;
}

function missingDescriptions(template) {
  return (template.properties || []).flatMap((property, index) =>
    property.type !== 'Hidden' && !property.description
      ? [ `/properties/${index} (${property.id}): has no description` ]
      : []);
}

/**
 * The examples a description gives: the code spans after "e.g.", joined by commas or "or". An "e.g." followed by
 * plain text counts too (up to the end of its sentence), marked as such: where it ends is anyone's guess.
 */
export function examplesIn(description) {
  const examples = [];
  for (const run of description.matchAll(/\be\.g\.\s*(.*)/gi)) {
    const spans = run[1].match(/^(?:<code>.*?<\/code>(?:\s*,?\s*(?:or\s+)?(?=<code>))?)+/);
    if (spans) {
      for (const code of spans[0].matchAll(/<code>(.*?)<\/code>/g)) {
        examples.push({ example: decodeEntities(code[1]), inCode: true });
      }
    } else {
      examples.push({ example: decodeEntities(run[1].split(/[.;,]\s|\.$/)[0].trim()), inCode: false });
    }
  }
  return examples;
}

function decodeEntities(html) {
  return html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}

function badExamples(template) {
  const problems = [];
  (template.properties || []).forEach((property, index) => {
    if (!property.description) {
      return;
    }
    for (const { example, inCode } of examplesIn(property.description)) {
      const where = `/properties/${index} (${property.id}): the example ${JSON.stringify(example)}`;
      if (!inCode) {
        problems.push(`${where} is not marked as <code>, so a reader cannot see where it ends`);
      }
      const problem = exampleProblem(example, property);
      if (problem) {
        problems.push(`${where} ${problem}`);
      }
    }
  });
  return problems;
}

/** Why an example, typed into the field as shown, is not valid input; undefined when it is. */
export function exampleProblem(example, property) {
  const constraints = property.constraints || {};
  if (property.type === 'Dropdown') {
    return property.choices.some(choice => choice.value === example) ? undefined : 'is none of the choices';
  }
  if (property.feel === 'required') {
    if (example.trim().startsWith('=')) {
      return 'starts with =, but the field supplies the = itself: copied as shown it is stored as ==';
    }
    return feelValueProblem(example);
  }
  if (example.trim().startsWith('=')) {
    if (property.feel !== 'optional') {
      return 'is a FEEL expression, but the field does not take FEEL';
    }
    return feelSyntaxProblem(example.trim().slice(1));
  }
  if (constraints.notEmpty && example === '') {
    return 'is empty, but the field must not be';
  }
  if (constraints.maxLength && example.length > constraints.maxLength) {
    return `is longer than ${constraints.maxLength} characters`;
  }
  const pattern = constraints.pattern;
  const source = typeof pattern === 'string' ? pattern : pattern?.value;
  if (source && !new RegExp(source).test(example)) {
    return `does not match the field's pattern ${source}`;
  }
  return undefined;
}

// A FEEL-only field of ours holds a list of ids: each entry a string or an integer, without spaces, as the worker
// reads it.
function feelValueProblem(expression) {
  let value;
  try {
    ({ value } = evaluate(expression, {}));
  } catch (error) {
    return `is not a FEEL expression: ${error.message}`;
  }
  if (value === null || value === undefined) {
    return 'does not evaluate to a value in FEEL';
  }
  if (Array.isArray(value)) {
    // a form widget {id, type, value} or a node's users {key, value} is a context the worker reads as such
    const context = entry => entry !== null && typeof entry === 'object' && !Array.isArray(entry)
      && ((typeof entry.id === 'string' && typeof entry.type === 'string')
        || (typeof entry.key === 'string' && Array.isArray(entry.value)));
    const readable = entry => (typeof entry === 'string' && /^\S{1,128}$/.test(entry)) || Number.isInteger(entry)
      || context(entry);
    const bad = value.find(entry => !readable(entry));
    if (bad !== undefined) {
      return `has the entry ${JSON.stringify(bad)}, which is neither a string without spaces nor an integer`;
    }
  }
  return undefined;
}

function feelSyntaxProblem(expression) {
  let broken = false;
  try {
    parseExpression(expression).iterate({ enter: node => { broken ||= node.type.isError; } });
  } catch (error) {
    return `is not a FEEL expression: ${error.message}`;
  }
  return broken ? 'is not a valid FEEL expression' : undefined;
}

function duplicateEmptyChoices(template) {
  const problems = [];
  (template.properties || []).forEach((property, index) => {
    if (property.type !== 'Dropdown') {
      return;
    }
    // the Modeler adds an empty entry of its own to an optional dropdown
    const empty = property.choices.filter(choice => choice.value === '').length + (property.optional ? 1 : 0);
    if (empty > 1) {
      problems.push(`/properties/${index} (${property.id}): the dropdown shows ${empty} empty entries`);
    }
  });
  return problems;
}

function closedRequiredGroups(template) {
  const open = new Set((template.groups || []).filter(group => group.openByDefault).map(group => group.id));
  const problems = [];
  (template.properties || []).forEach((property, index) => {
    const requiredWithoutDefault = property.constraints?.notEmpty && property.value === undefined;
    if (requiredWithoutDefault && property.type !== 'Hidden' && !open.has(property.group)) {
      problems.push(`/properties/${index} (${property.id}): required, but its group ${JSON.stringify(property.group)} `
        + 'is closed by default, so the Modeler hides its error');
    }
  });
  return problems;
}

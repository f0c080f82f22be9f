// Field builders shared by the templates. A builder knows the binding, the type and the checks the Modeler can
// make; every text that speaks of one operation is passed in by that operation's own file.

const FEEL_ALTERNATIVE = 'or a FEEL expression starting with =';

// The Modeler shows a pattern's message after the field's label ("Page size must be ..."), so messages start in lower
// case. It also tests an empty optional field as the text "undefined" (its empty value, as RegExp.test sees it), so
// the pattern of an optional field accepts that text too; otherwise every empty optional field would show an error.
function optionalPattern(alternatives) {
  return `^(${alternatives}|undefined)?$`;
}

/** The approval task or instance id, which becomes part of the request path: what the worker allows there. */
export function pathId({ id, label, description, tooltip }) {
  return {
    id,
    label,
    description,
    tooltip,
    type: 'String',
    feel: 'optional',
    binding: { type: 'zeebe:input', name: id },
    constraints: {
      notEmpty: true,
      pattern: {
        value: '^(=.*|[0-9A-Za-z_-]{1,128})$',
        message: `must be up to 128 letters, digits, _ or -, ${FEEL_ALTERNATIVE}.`
      }
    }
  };
}

/** A required aPaaS (kunlun) user id. */
export function userId({ id = 'userId', label, description }) {
  return {
    id,
    label,
    description,
    tooltip: 'A numeric aPaaS (kunlun) user ID, not a Feishu open_id, union_id or user_id. A string of digits or a '
      + 'number; either is sent as exact digits.',
    type: 'String',
    feel: 'optional',
    binding: { type: 'zeebe:input', name: id },
    constraints: {
      notEmpty: true,
      pattern: { value: '^(=.*|[0-9]+)$', message: `must be digits only (an aPaaS user ID), ${FEEL_ALTERNATIVE}.` }
    }
  };
}

/** The opinion Feishu shows with the decision; the worker refuses more than 4096 characters. */
export function opinion({ description, tooltip, required = false }) {
  return {
    id: 'opinion',
    label: 'Opinion',
    description,
    tooltip,
    type: 'Text',
    feel: 'optional',
    optional: required ? undefined : true,
    binding: { type: 'zeebe:input', name: 'opinion' },
    constraints: required ? { notEmpty: true, maxLength: 4096 } : { notEmpty: false, maxLength: 4096 }
  };
}

/** A list of ids: always a FEEL expression, so the field supplies the leading = itself. */
export function idList({ id, label, description, tooltip, required = false }) {
  return {
    id,
    label,
    description,
    tooltip,
    type: 'String',
    feel: 'required',
    optional: required ? undefined : true,
    binding: { type: 'zeebe:input', name: id },
    constraints: required ? { notEmpty: true } : undefined
  };
}

/** An object (a FEEL context) the worker sends to Feishu as a JSON string; always a FEEL expression. */
export function context({ id, label, description, tooltip }) {
  return {
    id,
    label,
    description,
    tooltip,
    type: 'String',
    feel: 'required',
    optional: true,
    binding: { type: 'zeebe:input', name: id }
  };
}

/** An optional email address, checked as far as its shape. */
export function email({ id, label, description, tooltip }) {
  return {
    id,
    label,
    description,
    tooltip,
    type: 'String',
    feel: 'optional',
    optional: true,
    binding: { type: 'zeebe:input', name: id },
    constraints: {
      notEmpty: false,
      pattern: {
        value: optionalPattern('=.*|[^\\s@]+@[^\\s@]+'),
        message: `must be an email address such as name@example.com, ${FEEL_ALTERNATIVE}.`
      }
    }
  };
}

/** An optional aPaaS (kunlun) user id, for a field that names the user one of two ways. */
export function optionalUserId({ id, label, description }) {
  return {
    id,
    label,
    description,
    tooltip: 'A numeric aPaaS (kunlun) user ID, not a Feishu open_id, union_id or user_id. A string of digits or a '
      + 'number.',
    type: 'String',
    feel: 'optional',
    optional: true,
    binding: { type: 'zeebe:input', name: id },
    constraints: {
      notEmpty: false,
      pattern: {
        value: optionalPattern('=.*|[0-9]+'),
        message: `must be digits only (an aPaaS user ID), ${FEEL_ALTERNATIVE}.`
      }
    }
  };
}

/** An optional plain token (letters, digits, _ and -), such as a chat ID or an idempotency key. */
export function token({ id, label, description, tooltip }) {
  return {
    id,
    label,
    description,
    tooltip,
    type: 'String',
    feel: 'optional',
    optional: true,
    binding: { type: 'zeebe:input', name: id },
    constraints: {
      notEmpty: false,
      pattern: {
        value: optionalPattern('=.*|[0-9A-Za-z_-]{1,128}'),
        message: `must be up to 128 letters, digits, _ or -, ${FEEL_ALTERNATIVE}.`
      }
    }
  };
}

/** Optional free text of at most {@code maxLength} characters. */
export function text({ id, label, description, tooltip, maxLength }) {
  return {
    id,
    label,
    description,
    tooltip,
    type: 'String',
    feel: 'optional',
    optional: true,
    binding: { type: 'zeebe:input', name: id },
    constraints: { notEmpty: false, maxLength }
  };
}

/** A task header naming Feishu error codes, separated by commas; headers are static text, never FEEL. */
export function codesHeader({ id, label, description, tooltip }) {
  return {
    id,
    label,
    description,
    tooltip,
    type: 'String',
    optional: true,
    binding: { type: 'zeebe:taskHeader', key: id },
    constraints: {
      notEmpty: false,
      pattern: {
        value: optionalPattern('\\s*[0-9]{1,9}\\s*(,\\s*[0-9]{1,9}\\s*)*'),
        message: 'must be Feishu error codes separated by commas, such as 2320010,2320011.'
      }
    }
  };
}

/** One of Feishu's fixed values; an optional dropdown gets its one empty entry from the Modeler. */
export function choice({ id, label, description, tooltip, choices, value, optional = value === undefined }) {
  return {
    id,
    label,
    description,
    tooltip,
    type: 'Dropdown',
    optional: optional || undefined,
    value,
    choices,
    binding: { type: 'zeebe:input', name: id }
  };
}

/** An optional whole number; the pattern names the range the worker accepts. */
export function wholeNumber({ id, label, description, tooltip, digits = '[0-9]+', range }) {
  return {
    id,
    label,
    description,
    tooltip,
    type: 'String',
    feel: 'optional',
    optional: true,
    binding: { type: 'zeebe:input', name: id },
    constraints: {
      notEmpty: false,
      pattern: { value: optionalPattern(`=.*|${digits}`), message: `must be ${range}, ${FEEL_ALTERNATIVE}.` }
    }
  };
}

/** @param storeApps whether Feishu offers the operation's API to store apps too, or to self-built apps only */
export function feishuApp(storeApps = true) {
  return {
    id: 'feishuApp',
    label: 'Feishu app',
    description: storeApps
      ? 'Empty: the app of the process\'s Camunda tenant, else the worker\'s default app (FEISHU_APP_ID). Otherwise '
        + 'the name of a self-built or store app configured on the worker as <code>feishu.apps.&lt;name&gt;</code>, '
        + 'e.g. <code>hr</code>, that lists the process\'s Camunda tenant.'
      : 'Empty: the app of the process\'s Camunda tenant, else the worker\'s default app (FEISHU_APP_ID). Otherwise '
        + 'the name of a self-built app configured on the worker as <code>feishu.apps.&lt;name&gt;</code>, e.g. '
        + '<code>hr</code>, that lists the process\'s Camunda tenant. Feishu offers this API to self-built apps '
        + 'only: a store app raises an incident.',
    tooltip: 'A name the worker does not know, or an app that does not serve the process\'s Camunda tenant, raises an '
      + 'incident naming only that name. Each app has its own token and its own quota of Feishu calls.',
    type: 'String',
    optional: true,
    binding: { type: 'zeebe:taskHeader', key: 'feishuApp' },
    constraints: {
      notEmpty: false,
      pattern: {
        value: optionalPattern('[^\\s]+'),
        message: 'must be an app name without spaces, as configured on the worker.'
      }
    }
  };
}

export function tenantKey() {
  return {
    id: 'tenantKey',
    label: 'Customer tenant key',
    description: 'Store apps only: the tenant_key of the customer tenant to act for, e.g. '
      + '<code>736588c9260f175d</code> or <code>=tenantKey</code>. Leave empty for a self-built app.',
    tooltip: 'Feishu sends a tenant\'s tenant_key when the tenant installs the store app (the app_open event) and '
      + 'with every event from that tenant. A store app needs it on every task; a self-built app acts only for its '
      + 'own tenant, so a value here raises an incident.',
    type: 'String',
    feel: 'optional',
    optional: true,
    binding: { type: 'zeebe:input', name: 'tenantKey' },
    constraints: {
      notEmpty: false,
      pattern: {
        value: optionalPattern('=.*|[0-9A-Za-z_-]{1,128}'),
        message: `must be up to 128 letters, digits, _ or -, ${FEEL_ALTERNATIVE}.`
      }
    }
  };
}

/** The task header naming the variable the job completes with; headers are static text, never FEEL. */
export function resultVariable({ description, tooltip, value }) {
  return {
    id: 'resultVariable',
    label: 'Result variable',
    description,
    tooltip,
    type: 'String',
    optional: true,
    value,
    binding: { type: 'zeebe:taskHeader', key: 'resultVariable' },
    constraints: {
      notEmpty: false,
      pattern: {
        value: optionalPattern('[A-Za-z_][A-Za-z0-9_]*'),
        message: 'must be a variable name: letters, digits and _, not starting with a digit.'
      }
    }
  };
}

export function retries() {
  return {
    id: 'retries',
    label: 'Retries',
    description: 'How often a temporary failure is tried again before an incident is raised, e.g. <code>5</code>.',
    tooltip: 'Temporary failures are timeouts, lost connections and Feishu server errors. A Feishu rate limit is '
      + 'waited out without spending a retry; a Feishu business error is thrown as a BPMN error and never retried.',
    type: 'String',
    value: '3',
    binding: { type: 'zeebe:taskDefinition', property: 'retries' },
    constraints: {
      notEmpty: true,
      pattern: { value: '^(=.*|[0-9]+)$', message: `must be a whole number, ${FEEL_ALTERNATIVE}.` }
    }
  };
}

export function retryBackoff() {
  return {
    id: 'retryBackoff',
    label: 'Retry backoff',
    description: 'The wait before the first retry, as an ISO-8601 duration, e.g. <code>PT5S</code> or '
      + '<code>PT1M</code>; each further retry waits twice as long. Empty: the worker\'s default, 5 seconds unless '
      + 'configured otherwise.',
    tooltip: 'The wait never exceeds the worker\'s longest backoff (feishu.worker.max-retry-backoff, 5 minutes '
      + 'unless configured otherwise).',
    type: 'String',
    optional: true,
    value: 'PT5S',
    binding: { type: 'zeebe:taskHeader', key: 'retryBackoff' },
    constraints: {
      notEmpty: false,
      pattern: {
        value: optionalPattern('P(?=\\d|T\\d)(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+(\\.\\d+)?S)?)?'),
        message: 'must be an ISO-8601 duration in days, hours, minutes or seconds, such as PT5S, PT1M or P1DT2H.'
      }
    }
  };
}

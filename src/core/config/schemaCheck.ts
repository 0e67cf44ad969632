import type { PathIssue } from './issue';
import type { JsonPath, Target } from './merged';
import { isPlainObject } from './merged';
import { formatPath } from './diagnostic';
import { deref, otaSchema } from './schema';
import type { JsonSchema } from './schema';
import { literalSecretMessage, parseSecretRef } from './secretRef';
import { editDistance } from '../text/editDistance';

export type SchemaIssue = PathIssue;

/**
 * Checks a value against `schemas/ota.schema.json` — the same file the editor uses, so the two
 * cannot drift — with messages that say what was expected. Only the keywords that schema uses are
 * interpreted; `oneOf` must be discriminated by a `const` property (servers by `type`, version by
 * `source`), which also keeps the messages specific.
 */
export function checkSchema(value: unknown, schema: JsonSchema = otaSchema): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  walk(value, schema, [], issues, schema.definitions ? schema : otaSchema);
  return issues;
}

function walk(value: unknown, schema: JsonSchema, path: JsonPath, issues: SchemaIssue[], root: JsonSchema): void {
  const s = deref(schema, root);
  const field = formatPath(path);
  const add = (target: Target, code: string, message: string, at: JsonPath = path, stage: SchemaIssue['stage'] = 'schema') =>
    issues.push({ path: at, target, stage, code, message });

  if (s.oneOf) {
    walkOneOf(value, s, path, issues, root);
    return;
  }
  if (s.type !== undefined && !matchesType(value, s.type)) {
    add('value', 'type', `${field}: expected ${describeTypes(s.type)}, found ${describeValue(value)}`);
    return;
  }
  if (s['x-ota-secret'] && typeof value === 'string' && !parseSecretRef(value)) {
    add('value', 'literal-secret', literalSecretMessage(field), path, 'secret');
    return;
  }
  if (s.const !== undefined && value !== s.const) {
    add('value', 'const', `${field}: expected ${JSON.stringify(s.const)}, found ${describeValue(value)}`);
  }
  if (s.enum && !s.enum.includes(value)) {
    const options = s.enum.map((e) => JSON.stringify(e));
    const near = typeof value === 'string' ? closest(value, s.enum.filter((e): e is string => typeof e === 'string')) : undefined;
    add('value', 'enum', `${field}: expected one of ${options.join(', ')}, found ${describeValue(value)}${near ? ` (did you mean "${near}"?)` : ''}`);
  }
  if (typeof value === 'string') {
    if (s.minLength !== undefined && value.length < s.minLength) {
      add('value', 'min-length', `${field}: expected a non-empty string${s.description ? ` — ${firstSentence(s.description)}` : ''}`);
    } else if (s.pattern !== undefined && !new RegExp(s.pattern).test(value)) {
      add('value', 'pattern', `${field}: ${s.patternErrorMessage ?? `expected a string matching /${s.pattern}/`} Found ${JSON.stringify(value)}.`);
    }
  }
  if (typeof value === 'number') {
    if (s.minimum !== undefined && value < s.minimum) add('value', 'minimum', `${field}: expected a number ≥ ${s.minimum}, found ${value}`);
    if (s.maximum !== undefined && value > s.maximum) add('value', 'maximum', `${field}: expected a number ≤ ${s.maximum}, found ${value}`);
  }
  if (Array.isArray(value)) {
    if (s.minItems !== undefined && value.length < s.minItems) {
      add('value', 'min-items', `${field}: expected at least ${s.minItems} ${s.minItems === 1 ? 'entry' : 'entries'}${s.description ? ` — ${firstSentence(s.description)}` : ''}`);
    }
    if (s.uniqueItems) {
      const seen = new Set<string>();
      value.forEach((item, i) => {
        const key = JSON.stringify(item);
        if (seen.has(key)) add('value', 'duplicate-item', `${formatPath([...path, i])}: ${key} is listed twice: expected each value once`, [...path, i]);
        seen.add(key);
      });
    }
    if (s.items) value.forEach((item, i) => walk(item, s.items!, [...path, i], issues, root));
  }
  if (isPlainObject(value)) {
    const props = s.properties ?? {};
    for (const name of s.required ?? []) {
      if (!Object.hasOwn(value, name)) {
        const what = props[name] ? describeProperty(props[name], root) : undefined;
        add('start', 'required', `${field}: missing required property "${name}"${what ? `: expected ${what}` : ''}`);
      }
    }
    for (const [key, child] of Object.entries(value)) {
      const childSchema = Object.hasOwn(props, key) ? props[key] : undefined;
      if (childSchema) {
        walk(child, childSchema, [...path, key], issues, root);
      } else if (s.additionalProperties === false) {
        const known = Object.keys(props);
        const near = closest(key, known);
        add(
          'key',
          'unknown-property',
          `${formatPath([...path, key])}: unknown property "${key}"${near ? ` (did you mean "${near}"?)` : ''}: expected one of ${known.join(', ')}`,
          [...path, key],
        );
      } else if (typeof s.additionalProperties === 'object') {
        walk(child, s.additionalProperties, [...path, key], issues, root);
      }
    }
  }
}

function walkOneOf(value: unknown, s: JsonSchema, path: JsonPath, issues: SchemaIssue[], root: JsonSchema): void {
  const branches = (s.oneOf ?? []).map((b) => deref(b, root));
  const field = formatPath(path);
  const disc = discriminator(branches);
  if (!isPlainObject(value) || !disc) {
    if (!isPlainObject(value)) issues.push({ path, target: 'value', stage: 'schema', code: 'type', message: `${field}: expected an object, found ${describeValue(value)}` });
    return;
  }
  const options = branches.map((b) => b.properties![disc]!.const);
  const branch = branches.find((b) => b.properties![disc]!.const === value[disc]);
  const list = options.map((o) => JSON.stringify(o)).join(', ');
  if (!Object.hasOwn(value, disc)) {
    issues.push({ path, target: 'start', stage: 'schema', code: 'required', message: `${field}: missing required property "${disc}": expected one of ${list}` });
  } else if (!branch) {
    const near = typeof value[disc] === 'string' ? closest(value[disc], options.filter((o): o is string => typeof o === 'string')) : undefined;
    issues.push({
      path: [...path, disc],
      target: 'value',
      stage: 'schema',
      code: 'enum',
      message: `${formatPath([...path, disc])}: expected one of ${list}, found ${describeValue(value[disc])}${near ? ` (did you mean "${near}"?)` : ''}`,
    });
  } else {
    walk(value, branch, path, issues, root);
  }
}

/** The property whose `const` tells the branches of a `oneOf` apart. */
function discriminator(branches: readonly JsonSchema[]): string | undefined {
  const first = branches[0]?.properties ?? {};
  return Object.keys(first).find((k) => branches.every((b) => b.properties?.[k]?.const !== undefined));
}

function matchesType(value: unknown, type: string | string[]): boolean {
  const types = Array.isArray(type) ? type : [type];
  return types.some((t) => {
    switch (t) {
      case 'string':
        return typeof value === 'string';
      case 'number':
        return typeof value === 'number' && Number.isFinite(value);
      case 'integer':
        return typeof value === 'number' && Number.isInteger(value);
      case 'boolean':
        return typeof value === 'boolean';
      case 'object':
        return isPlainObject(value);
      case 'array':
        return Array.isArray(value);
      case 'null':
        return value === null;
      default:
        return false;
    }
  });
}

const typeWords: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  object: 'an object { … }',
  array: 'an array [ … ]',
  null: 'null',
};

function describeTypes(type: string | string[]): string {
  return (Array.isArray(type) ? type : [type]).map((t) => typeWords[t] ?? t).join(' or ');
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return value.length > 40 ? `a string "${value.slice(0, 37)}…"` : `"${value}"`;
  if (typeof value === 'number') return `the number ${value}`;
  return String(value);
}

function describeProperty(schema: JsonSchema, root: JsonSchema): string | undefined {
  let s: JsonSchema;
  try {
    s = deref(schema, root);
  } catch {
    return undefined;
  }
  const kind = s.enum ? `one of ${s.enum.map((e) => JSON.stringify(e)).join(', ')}` : s.type ? describeTypes(s.type) : s.oneOf ? 'an object' : undefined;
  const what = s.description ? firstSentence(s.description) : undefined;
  return [kind, what].filter(Boolean).join(' — ') || undefined;
}

function firstSentence(text: string): string {
  const m = /^(.*?[.:])(\s|$)/.exec(text);
  return (m ? m[1]! : text).replace(/[.:]$/, '');
}

/** The option nearest to `word` by edit distance, if it is close enough to be a likely typo. */
function closest(word: string, options: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const option of options) {
    const d = editDistance(word, option);
    if (d < bestDistance) {
      bestDistance = d;
      best = option;
    }
  }
  return best !== undefined && best !== word && bestDistance <= Math.max(1, Math.floor(best.length / 3)) ? best : undefined;
}

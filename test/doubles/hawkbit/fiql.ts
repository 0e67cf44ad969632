import { DoubleError } from './validate';

/**
 * The FIQL subset the double evaluates (`docs/query-parameters.md`, reference §1): clauses joined by
 * `;` (and), each `field==value`, `field!=value` or `field=in=(a,b)`, values bare or double-quoted,
 * `*` as a wildcard. Anything else is a 400 `rsqlParamSyntax`, as a real server answers bad syntax.
 */
export type Lookup = (field: string) => string | undefined;

const syntax = (q: string, why: string) => new DoubleError(400, 'hawkbit.server.error.rest.param.rsqlParamSyntax', `RSQL syntax error in "${q}": ${why}`);
const invalidField = (field: string) => new DoubleError(400, 'hawkbit.server.error.rest.param.rsqlInvalidField', `unknown field ${field}`);

export function fiqlFilter(q: string, fields: (field: string) => boolean): (lookup: Lookup) => boolean {
  const clauses = splitTop(q, ';').map((c) => parseClause(q, c, fields));
  return (lookup) => clauses.every((c) => c(lookup));
}

function parseClause(q: string, clause: string, fields: (field: string) => boolean): (lookup: Lookup) => boolean {
  const m = /^([A-Za-z][\w.]*)(==|!=|=in=)(.+)$/.exec(clause);
  if (!m) throw syntax(q, `cannot read "${clause}"`);
  const [, field, op, rest] = m as unknown as [string, string, string, string];
  if (!fields(field.toLowerCase())) throw invalidField(field);
  let values: string[];
  if (op === '=in=') {
    if (!rest.startsWith('(') || !rest.endsWith(')')) throw syntax(q, '=in= needs (a,b)');
    values = splitTop(rest.slice(1, -1), ',').map((v) => unquote(q, v));
  } else values = [unquote(q, rest)];
  const patterns = values.map((v) => new RegExp(`^${v.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i'));
  return (lookup) => {
    const v = lookup(field.toLowerCase());
    const hit = v !== undefined && patterns.some((p) => p.test(v));
    return op === '!=' ? !hit : hit;
  };
}

function unquote(q: string, v: string): string {
  if (v.startsWith('"')) {
    if (!v.endsWith('"') || v.length < 2) throw syntax(q, `unterminated quote in ${v}`);
    return v.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  if (!/^[^\s"'()]+$/.test(v)) throw syntax(q, `value ${v} must be quoted`);
  return v;
}

function splitTop(s: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (c === '"') quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')') depth--;
    else if (!quoted && depth === 0 && c === sep) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  out.push(s.slice(start));
  return out;
}

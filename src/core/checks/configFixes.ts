import type { ConfigCheckResult } from '../config/check';
import type { ConfigDiagnostic } from '../config/diagnostic';
import type { PathIssue } from '../config/issue';
import type { JsonPath } from '../config/merged';
import { isPlainObject } from '../config/merged';
import { checkSchema } from '../config/schemaCheck';
import { checkSemantics } from '../config/semantic';
import { editDistance } from '../text/editDistance';
import { closestFirst } from './closest';
import { boundKeys, configFacts } from './configFacts';
import type { ConfigFacts } from './configFacts';
import { bindKeyEdits, setValueEdits } from './configEdits';
import type { TextEdit } from './textEdit';

/** A problem of the config with the JSON path the check found it at (the diagnostic alone has only a range). */
export interface ConfigProblem {
  issue: PathIssue;
  diagnostic: ConfigDiagnostic;
}

/** One quick fix: edits to apply, and for a secret the value to store first (never shown or logged). */
export interface ConfigFix {
  title: string;
  edits: TextEdit[];
  /** The fix VS Code applies with "auto fix" when only one is clearly right. */
  preferred?: boolean;
  storeSecret?: { name: string; value: string };
}

/** Codes that have fixes; placeholders from `ota init` have none (only the user knows the real value). */
const fixable = new Set(['key-not-bound', 'unknown-pid', 'unknown-server', 'unknown-device', 'unknown-channel', 'literal-secret', 'inline-private-key', 'insecure-server-url']);

/**
 * The semantic and secret problems of a checked config, each with its path, from the same checks
 * that produce the diagnostics (so a fix always answers a diagnostic the user sees).
 */
export function configProblems(result: ConfigCheckResult): ConfigProblem[] {
  const merged = result.merged;
  if (!merged) return [];
  const issues = [...checkSchema(merged.value).filter((i) => i.stage === 'secret'), ...checkSemantics(merged.value)];
  const seen = new Set<string>();
  return issues.flatMap((issue) => {
    const diagnostic = merged.diagnostic(issue.path, issue.target, { stage: issue.stage, code: issue.code, message: issue.message, severity: issue.severity ?? 'error' });
    // The same problem reported twice is shown once (as the check's own dedupe does), so fixed once.
    const key = `${diagnostic.file}\u0000${diagnostic.offset}\u0000${diagnostic.message}`;
    if (seen.has(key)) return [];
    seen.add(key);
    return [{ issue, diagnostic }];
  });
}

/** The quick fixes for one problem, most likely first; none for codes only the user can fix. */
export function configFixes(result: ConfigCheckResult, problem: ConfigProblem): ConfigFix[] {
  const { code, path } = problem.issue;
  if (!fixable.has(code) || !result.merged) return [];
  const facts = configFacts(result.merged.value);
  const current = valueAt(result.merged.value, path);
  switch (code) {
    case 'key-not-bound':
      return typeof current === 'string' ? keyFixes(result, facts, path, current) : [];
    case 'insecure-server-url':
      return typeof current === 'string' ? httpsFix(result, path, current) : [];
    case 'unknown-pid':
      return changeTo(result, path, current, facts.products.map((p) => p.pid));
    case 'unknown-server':
      return changeTo(result, path, current, facts.servers);
    case 'unknown-device':
      return changeTo(result, path, current, facts.deviceNames);
    case 'unknown-channel': {
      const pid = path[0] === 'devices' ? facts.devices.find((d) => d.index === path[1])?.pid : undefined;
      return changeTo(result, path, current, facts.channels.filter((c) => pid === undefined || c.pid === pid).map((c) => c.name));
    }
    case 'inline-private-key':
      // Only the signing key accepts a ${secret:…} holding PEM text; elsewhere the key must simply go.
      if (!(path[0] === 'channels' && path[2] === 'signing' && path[3] === 'key')) return [];
      return typeof current === 'string' ? secretFix(result, path, current) : [];
    default:
      return typeof current === 'string' ? secretFix(result, path, current) : [];
  }
}

function keyFixes(result: ConfigCheckResult, facts: ConfigFacts, path: JsonPath, key: string): ConfigFix[] {
  const pid = pidFor(facts, path);
  const targets = pid !== undefined ? facts.products.filter((p) => p.pid === pid).slice(0, 1) : facts.products.filter((p) => p.pid);
  const bound = pid !== undefined ? (boundKeys(facts, pid) ?? []) : targets.flatMap((p) => p.keys);
  const uses = closestFirst(key, bound);
  // A key one or two characters off a bound one is a typo; otherwise binding it is the seed's fix.
  const typo = uses.length > 0 && editDistance(key, uses[0]!) <= 2;
  const fixes: ConfigFix[] = [];
  for (const p of targets) {
    const edits = bindKeyEdits(result, p.pid, key);
    if (edits) fixes.push({ title: `Bind ${key} to PID ${p.pid}`, edits, ...(typo || targets.length > 1 ? {} : { preferred: true }) });
  }
  uses.forEach((k, i) => {
    const edits = setValueEdits(result, path, k);
    if (edits) fixes.push({ title: `Use bound key ${k}`, edits, ...(typo && i === 0 ? { preferred: true } : {}) });
  });
  return fixes;
}

/** The PID a firmware key at `path` is checked against: the channel's, or the device's expected one. */
function pidFor(facts: ConfigFacts, path: JsonPath): string | undefined {
  if (path[0] === 'channels') return facts.channels.find((c) => c.index === path[1])?.pid || undefined;
  if (path[0] === 'devices') return facts.devices.find((d) => d.index === path[1])?.pid;
  return undefined;
}

function changeTo(result: ConfigCheckResult, path: JsonPath, current: unknown, known: readonly string[]): ConfigFix[] {
  if (typeof current !== 'string') return [];
  return closestFirst(current, known.filter(Boolean)).flatMap((name, i) => {
    const edits = setValueEdits(result, path, name);
    return edits ? [{ title: `Change to ${name}`, edits, ...(i === 0 && editDistance(current, name) <= 2 ? { preferred: true } : {}) }] : [];
  });
}

function secretFix(result: ConfigCheckResult, path: JsonPath, value: string): ConfigFix[] {
  if (value === '') return [];
  const fix = moveSecretFix(result, path, secretNameFor(result.merged!.value, path));
  return fix ? [fix] : [];
}

/**
 * Moving the literal at `path` into Secret Storage under `name` (the extension may pick another
 * name when that one already holds a different value). Undefined when the value is not a string.
 */
export function moveSecretFix(result: ConfigCheckResult, path: JsonPath, name: string): ConfigFix | undefined {
  const value = result.merged ? valueAt(result.merged.value, path) : undefined;
  if (typeof value !== 'string') return undefined;
  const edits = setValueEdits(result, path, `\${secret:${name}}`);
  return edits ? { title: `Move to Secret Storage as \${secret:${name}}`, edits, preferred: true, storeSecret: { name, value } } : undefined;
}

/**
 * A secret name that says what the value is for: `hb-credential` for servers[name=hb].credential,
 * the variable's name for a build environment variable, `main-signing-key` for a channel's key.
 */
export function secretNameFor(value: unknown, path: JsonPath): string {
  const entry = valueAt(value, path.slice(0, 2));
  const owner = isPlainObject(entry) && typeof entry.name === 'string' ? entry.name : String(path[0] ?? 'secret');
  const field = path[path.length - 1];
  let name: string;
  if (path[0] === 'channels' && path[2] === 'build' && path[3] === 'env') name = String(field);
  else if (path[0] === 'channels' && path[2] === 'signing') name = `${owner}-signing-key`;
  else name = `${owner}-${String(field)}`;
  const clean = name.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[^A-Za-z_]+/, '');
  return clean || 'secret';
}

function valueAt(value: unknown, path: JsonPath): unknown {
  let v = value;
  for (const seg of path) {
    if (typeof seg === 'number') v = Array.isArray(v) ? v[seg] : undefined;
    else v = isPlainObject(v) && Object.hasOwn(v, seg) ? v[seg] : undefined;
  }
  return v;
}

/** `http://host` → `https://host` for a remote server (the check only fires for non-loopback hosts). */
function httpsFix(result: ConfigCheckResult, path: JsonPath, url: string): ConfigFix[] {
  const secure = url.replace(/^http:/i, 'https:');
  const edits = setValueEdits(result, path, secure);
  return edits ? [{ title: `Use ${secure}`, edits, preferred: true }] : [];
}

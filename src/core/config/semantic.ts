import { formatPath } from './diagnostic';
import type { PathIssue } from './issue';
import type { JsonPath } from './merged';
import { isPlainObject } from './merged';
import { looksLikePrivateKey, looksLikeSecretName, literalSecretMessage } from './secretRef';
import { isSemver } from '../version/semver';
import { isLoopback } from '../net/loopback';

type Obj = Record<string, unknown>;

/**
 * Checks beyond the schema, over the merged config: references between entries, keys bound to
 * PIDs, duplicates, versions, artifacts, secrets. Runs on any value (even one the schema rejects,
 * because the editor shows these while the user types), so every access is guarded and entries of
 * the wrong shape are skipped: the schema check reports those.
 */
export function checkSemantics(value: unknown): PathIssue[] {
  const issues: PathIssue[] = [];
  if (!isPlainObject(value)) return issues;
  const ctx: Ctx = { issues, root: value };
  checkProducts(ctx);
  checkChannels(ctx);
  checkServers(ctx);
  checkDevices(ctx);
  checkDefaults(ctx);
  checkLiteralSecrets(value, [], issues);
  checkPlaceholders(value, [], issues);
  return issues;
}

interface Ctx {
  issues: PathIssue[];
  root: Obj;
}

function entries(root: Obj, key: string): [Obj, number][] {
  const list = root[key];
  if (!Array.isArray(list)) return [];
  return list.flatMap((item, i): [Obj, number][] => (isPlainObject(item) ? [[item, i]] : []));
}

function str(obj: Obj, key: string): string | undefined {
  const v = obj[key];
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

function issue(ctx: Ctx, path: JsonPath, code: string, message: string, severity: PathIssue['severity'] = 'error'): void {
  ctx.issues.push({ path, target: 'value', stage: 'semantic', code, message: `${formatPath(path)}: ${message}`, severity });
}

const quoteList = (items: readonly string[]): string => (items.length ? [...new Set(items)].map((i) => `"${i}"`).join(', ') : '(none)');

/** Reports entries whose `keyOf` repeats an earlier entry's, at the later one. */
function checkDuplicates(ctx: Ctx, list: string, keyOf: (e: Obj) => string | undefined, field: string, what: string): void {
  const first = new Map<string, number>();
  for (const [entry, i] of entries(ctx.root, list)) {
    const key = keyOf(entry);
    if (key === undefined) continue;
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, i);
    else issue(ctx, [list, i, field], `duplicate-${list}`, `${what} is already used by ${list}[${earlier}]: expected each ${list.replace(/s$/, '')} once`);
  }
}

function products(ctx: Ctx): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const [p] of entries(ctx.root, 'products')) {
    const pid = str(p, 'pid');
    if (pid === undefined || map.has(pid)) continue;
    const keys = Array.isArray(p.firmwareKeys) ? p.firmwareKeys.filter((k): k is string => typeof k === 'string') : [];
    map.set(pid, keys);
  }
  return map;
}

function checkProducts(ctx: Ctx): void {
  checkDuplicates(ctx, 'products', (p) => str(p, 'pid'), 'pid', 'this PID');
}

function checkChannels(ctx: Ctx): void {
  const pids = products(ctx);
  checkDuplicates(
    ctx,
    'channels',
    (c) => (str(c, 'name') === undefined ? undefined : `${str(c, 'pid') ?? ''}\u0000${str(c, 'name')}`),
    'name',
    'this channel name for the same PID',
  );
  const artifacts = new Map<string, number>();
  for (const [c, i] of entries(ctx.root, 'channels')) {
    const pid = str(c, 'pid');
    const key = str(c, 'firmwareKey');
    if (pid !== undefined) {
      const bound = pids.get(pid);
      if (!bound) {
        issue(ctx, ['channels', i, 'pid'], 'unknown-pid', `no product has PID "${pid}": expected one of ${quoteList([...pids.keys()])}, or add the product to "products"`);
      } else if (key !== undefined && !bound.includes(key)) {
        issue(
          ctx,
          ['channels', i, 'firmwareKey'],
          'key-not-bound',
          `firmware key "${key}" is not bound to PID "${pid}" (bound: ${quoteList(bound)}), so no device of this product would be offered these images. ` +
            `Use a bound key, or add "${key}" to that product's firmwareKeys if devices were shipped with it.`,
        );
      }
    }
    const signing = c.signing;
    if (isPlainObject(signing) && signing.securityCounter !== undefined && signing.format === 'manifest') {
      issue(
        ctx,
        ['channels', i, 'signing', 'securityCounter'],
        'counter-without-mcuboot',
        'a security counter is an MCUboot TLV, but this channel signs a detached manifest: remove "securityCounter", or sign with "format": "mcuboot"',
      );
    }
    const artifact = str(c, 'artifact');
    if (artifact !== undefined) {
      const norm = normalizeArtifact(artifact);
      const earlier = artifacts.get(norm);
      if (earlier === undefined) artifacts.set(norm, i);
      else
        issue(
          ctx,
          ['channels', i, 'artifact'],
          'shared-artifact',
          `"${artifact}" is also the artifact of channels[${earlier}]: expected each channel to write its own image, or one build overwrites the other's`,
        );
    }
    const version = c.version;
    if (isPlainObject(version)) {
      if (version.source === 'fixed' && typeof version.value === 'string' && !isSemver(version.value)) {
        issue(ctx, ['channels', i, 'version', 'value'], 'invalid-semver', `"${version.value}" is not a semantic version: expected MAJOR.MINOR.PATCH such as "1.2.3" (optionally -prerelease and +build)`);
      }
      if (version.source === 'file' && typeof version.regex === 'string') {
        checkRegex(ctx, ['channels', i, 'version', 'regex'], version.regex, 'm', 'expected a JavaScript regex whose first group captures the version');
      }
    }
  }
}

function checkRegex(ctx: Ctx, path: JsonPath, source: string, flags: string, expected: string): void {
  try {
    new RegExp(source, flags);
  } catch (err) {
    issue(ctx, path, 'invalid-regex', `not a valid regular expression (${(err as Error).message}): ${expected}`);
  }
}

/** Artifact paths compare equal when they name the same file: `./build/x.bin` is `build/x.bin`. */
export function normalizeArtifact(p: string): string {
  const parts: string[] = [];
  for (const seg of p.replace(/\\/g, '/').split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..' && parts.length && parts[parts.length - 1] !== '..') parts.pop();
    else parts.push(seg);
  }
  return parts.join('/');
}

function checkServers(ctx: Ctx): void {
  checkDuplicates(ctx, 'servers', (s) => str(s, 'name'), 'name', 'this server name');
  // A remote server gets a token or password with every request: plain HTTP would show it to
  // anyone on the path, so the providers refuse it; say so where the URL is written.
  for (const [server, i] of entries(ctx.root, 'servers')) {
    const type = str(server, 'type');
    const url = str(server, 'url');
    if ((type !== 'hawkbit' && type !== 'ota-workbench') || url === undefined) continue;
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      continue;
    }
    if (parsed.protocol === 'http:' && !isLoopback(parsed.hostname)) {
      issue(ctx, ['servers', i, 'url'], 'insecure-server-url', `credentials would travel in clear text to ${parsed.host}: expected an https:// URL (plain http:// only for 127.0.0.1, ::1, localhost); add "ca" for a private CA`);
    }
  }
}

function names(ctx: Ctx, list: string): string[] {
  return entries(ctx.root, list).flatMap(([e]) => (str(e, 'name') === undefined ? [] : [str(e, 'name')!]));
}

function checkDevices(ctx: Ctx): void {
  checkDuplicates(ctx, 'devices', (d) => str(d, 'name'), 'name', 'this device name');
  checkDuplicates(ctx, 'devices', (d) => str(d, 'deviceId'), 'deviceId', 'this device id');
  const pids = products(ctx);
  const servers = names(ctx, 'servers');
  const channels = entries(ctx.root, 'channels');
  for (const [d, i] of entries(ctx.root, 'devices')) {
    const server = str(d, 'server');
    if (server !== undefined && !servers.includes(server)) {
      issue(ctx, ['devices', i, 'server'], 'unknown-server', `no server is named "${server}": expected one of ${quoteList(servers)}`);
    }
    if (Array.isArray(d.logRules)) {
      d.logRules.forEach((rule, r) => {
        const pattern = isPlainObject(rule) ? str(rule, 'pattern') : undefined;
        const flags = isPlainObject(rule) && (rule.flags === 'i' || rule.flags === '') ? rule.flags : '';
        if (pattern !== undefined) checkRegex(ctx, ['devices', i, 'logRules', r, 'pattern'], pattern, flags, 'expected a JavaScript regex; named groups look like (?<version>\\S+)');
      });
    }
    const expect = d.expect;
    if (!isPlainObject(expect)) continue;
    const pid = str(expect, 'pid');
    const key = str(expect, 'firmwareKey');
    const channel = str(expect, 'channel');
    const at = (field: string): JsonPath => ['devices', i, 'expect', field];
    if (pid !== undefined && !pids.has(pid)) {
      issue(ctx, at('pid'), 'unknown-pid', `no product has PID "${pid}": expected one of ${quoteList([...pids.keys()])}`);
      continue;
    }
    if (key !== undefined) {
      const bound = pid !== undefined ? pids.get(pid)! : [...pids.values()].flat();
      if (!bound.includes(key)) {
        issue(
          ctx,
          at('firmwareKey'),
          'key-not-bound',
          pid !== undefined
            ? `firmware key "${key}" is not bound to PID "${pid}" (bound: ${quoteList(bound)}): this device would not be offered updates. Add the key to the product's firmwareKeys if devices were shipped with it.`
            : `firmware key "${key}" is not bound to any product: this device would not be offered updates`,
        );
      }
    }
    if (channel !== undefined) {
      const candidates = channels.filter(([c]) => pid === undefined || str(c, 'pid') === pid).map(([c]) => str(c, 'name'));
      if (!candidates.includes(channel)) {
        issue(ctx, at('channel'), 'unknown-channel', `no channel "${channel}"${pid !== undefined ? ` for PID "${pid}"` : ''}: expected one of ${quoteList(candidates.filter((c): c is string => c !== undefined))}`);
      }
    }
  }
}

function checkDefaults(ctx: Ctx): void {
  const server = str(ctx.root, 'defaultServer');
  if (server !== undefined) {
    const known = names(ctx, 'servers');
    if (!known.includes(server)) issue(ctx, ['defaultServer'], 'unknown-server', `no server is named "${server}": expected one of ${quoteList(known)}`);
  }
  const device = str(ctx.root, 'defaultDevice');
  if (device !== undefined) {
    const known = names(ctx, 'devices');
    if (!known.includes(device)) issue(ctx, ['defaultDevice'], 'unknown-device', `no device is named "${device}": expected one of ${quoteList(known)}`);
  }
}

/**
 * Secrets the schema's credential fields cannot catch: a private key pasted into any field, and a
 * literal value for a build environment variable whose name says it is a credential.
 */
function checkLiteralSecrets(value: unknown, path: JsonPath, issues: PathIssue[]): void {
  if (typeof value === 'string') {
    if (looksLikePrivateKey(value)) {
      issues.push({
        path,
        target: 'value',
        stage: 'secret',
        code: 'inline-private-key',
        message: `${formatPath(path)} contains a private key: expected a key file path or "\${secret:NAME}". Save the key to a file outside the repository (or in Secret Storage) and refer to it; if this was committed, replace the key.`,
      });
    }
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => checkLiteralSecrets(v, [...path, i], issues));
    return;
  }
  if (!isPlainObject(value)) return;
  const isBuildEnv = path.length === 4 && path[0] === 'channels' && path[2] === 'build' && path[3] === 'env';
  for (const [key, child] of Object.entries(value)) {
    if (isBuildEnv && typeof child === 'string' && looksLikeSecretName(key) && !looksLikePrivateKey(child) && !usesReference(child)) {
      issues.push({ path: [...path, key], target: 'value', stage: 'secret', code: 'literal-secret', message: literalSecretMessage(formatPath([...path, key])) });
      continue;
    }
    checkLiteralSecrets(child, [...path, key], issues);
  }
}

/** A credential-named variable is fine as long as its value comes from a reference (e.g. "Bearer ${env:TOKEN}"). */
function usesReference(text: string): boolean {
  return text === '' || /\$\{(?:secret|env):[A-Za-z_][A-Za-z0-9_.-]*\}/.test(text);
}

/** `ota init` writes YOUR_PID, YOUR_FIRMWARE_KEY, …: valid, but a reminder until replaced. */
function checkPlaceholders(value: unknown, path: JsonPath, issues: PathIssue[]): void {
  if (typeof value === 'string') {
    const placeholder = /\bYOUR_[A-Z_]+\b/.exec(value)?.[0];
    if (placeholder) {
      issues.push({ path, target: 'value', stage: 'semantic', code: 'placeholder', severity: 'warning', message: `${formatPath(path)}: replace the placeholder ${placeholder} with your real value` });
    }
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => checkPlaceholders(v, [...path, i], issues));
  } else if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) checkPlaceholders(v, [...path, k], issues);
  }
}

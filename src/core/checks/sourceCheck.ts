import * as path from 'node:path';
import type { ConfigCheckResult } from '../config/check';
import { closestFirst } from './closest';
import { configFacts } from './configFacts';
import type { ConfigFacts } from './configFacts';
import { bindKeyEdits } from './configEdits';
import { encodeForSource } from './sourcePatterns';
import type { SourceDeclaration } from './sourcePatterns';
import type { TextEdit } from './textEdit';

export interface SourceFix {
  title: string;
  edits: TextEdit[];
  preferred?: boolean;
}

/** A firmware source whose OTA identity would keep its devices from being offered updates. */
export interface SourceProblem {
  declaration: SourceDeclaration;
  severity: 'error' | 'warning';
  code: 'key-not-bound' | 'unknown-channel' | 'unknown-pid';
  message: string;
  fixes: SourceFix[];
}

const isPlaceholder = (v: string): boolean => /\bYOUR_[A-Z_]+\b/.test(v) || v === '';

/**
 * What a file's declarations are checked against: its own channel / PID declarations, or, when it
 * declares none, the one value the rest of the firmware agrees on (a key in sdkconfig.defaults and
 * the channel in a header belong together).
 */
function contextValue(decls: readonly SourceDeclaration[], all: readonly SourceDeclaration[], field: 'channel' | 'pid'): string | undefined {
  const own = decls.find((d) => d.field === field && !isPlaceholder(d.value));
  if (own) return own.value;
  const values = new Set(all.filter((d) => d.field === field && !isPlaceholder(d.value)).map((d) => d.value));
  return values.size === 1 ? [...values][0] : undefined;
}

/**
 * Checks every declaration against the config: the PID exists, the channel exists for that PID,
 * and the firmware key is bound to the PID of the channel it is built for. Returns nothing while
 * the config does not parse.
 */
export function checkSourceDeclarations(all: readonly SourceDeclaration[], config: ConfigCheckResult): SourceProblem[] {
  if (!config.merged) return [];
  const facts = configFacts(config.merged.value);
  const byFile = new Map<string, SourceDeclaration[]>();
  for (const d of all) byFile.set(d.file, [...(byFile.get(d.file) ?? []), d]);
  const problems: SourceProblem[] = [];
  for (const decls of byFile.values()) {
    const pid = contextValue(decls, all, 'pid');
    const channel = contextValue(decls, all, 'channel');
    const pidKnown = pid === undefined || facts.products.some((p) => p.pid === pid);
    for (const d of decls) {
      if (isPlaceholder(d.value)) continue;
      if (d.field === 'pid') problems.push(...checkPid(d, facts));
      else if (d.field === 'channel' && pidKnown) problems.push(...checkChannel(d, facts, pid));
      else if (d.field === 'firmwareKey' && pidKnown) problems.push(...checkKey(d, facts, config, pid, channel));
    }
  }
  return problems;
}

function replaceValue(d: SourceDeclaration, value: string): TextEdit[] | undefined {
  const content = encodeForSource(d.syntax, value);
  return content === undefined ? undefined : [{ file: d.file, offset: d.valueOffset, length: d.valueLength, content }];
}

const quoteList = (items: readonly string[]): string => (items.length ? [...new Set(items)].map((i) => `"${i}"`).join(', ') : '(none)');

function changeFixes(d: SourceDeclaration, known: readonly string[], label = (v: string) => `Change to ${v}`): SourceFix[] {
  return closestFirst(d.value, known).flatMap((v) => {
    const edits = replaceValue(d, v);
    return edits ? [{ title: label(v), edits }] : [];
  });
}

function checkPid(d: SourceDeclaration, facts: ConfigFacts): SourceProblem[] {
  if (facts.products.some((p) => p.pid === d.value)) return [];
  const known = facts.products.map((p) => p.pid).filter(Boolean);
  return [
    {
      declaration: d,
      severity: 'error',
      code: 'unknown-pid',
      message: `${d.name}: no product in the OTA config has PID "${d.value}" (known: ${quoteList(known)}), so devices flashed with this build are offered no update`,
      fixes: changeFixes(d, known),
    },
  ];
}

function checkChannel(d: SourceDeclaration, facts: ConfigFacts, pid: string | undefined): SourceProblem[] {
  const candidates = facts.channels.filter((c) => pid === undefined || c.pid === pid);
  if (candidates.some((c) => c.name === d.value)) return [];
  const known = candidates.map((c) => c.name).filter(Boolean);
  return [
    {
      declaration: d,
      severity: 'error',
      code: 'unknown-channel',
      message: `${d.name}: channel "${d.value}" does not exist${pid !== undefined ? ` for PID "${pid}"` : ' in the OTA config'} (channels: ${quoteList(known)}), so devices flashed with this build are offered no update`,
      fixes: changeFixes(d, known),
    },
  ];
}

function checkKey(d: SourceDeclaration, facts: ConfigFacts, config: ConfigCheckResult, pid: string | undefined, channel: string | undefined): SourceProblem[] {
  const key = d.value;
  const channels = facts.channels.filter((c) => (channel === undefined || c.name === channel) && (pid === undefined || c.pid === pid) && (channel !== undefined || pid !== undefined));
  const problems: SourceProblem[] = [];
  const bindFix = (p: string): SourceFix[] => {
    const edits = bindKeyEdits(config, p, key);
    // Named after the file that changes: the product may come from ota.local.json.
    return edits ? [{ title: `Bind ${key} to PID ${p} in ${path.basename(edits[0]!.file)}`, edits }] : [];
  };
  // The PIDs this build is for: its channel's, the declared one, or the only product there is.
  const pids = channels.length ? [...new Set(channels.map((c) => c.pid))] : pid !== undefined ? [pid] : facts.products.length === 1 ? [facts.products[0]!.pid] : [];
  if (pids.length === 0) {
    if (facts.products.some((p) => p.keys.includes(key)) || facts.products.length === 0) return [];
    return [
      {
        declaration: d,
        severity: 'error',
        code: 'key-not-bound',
        message: `${d.name}: firmware key "${key}" is not bound to any product in the OTA config, so devices flashed with this build are offered no update`,
        fixes: [...facts.products.flatMap((p) => bindFix(p.pid)), ...changeFixes(d, facts.products.flatMap((p) => p.keys), (v) => `Use bound key ${v}`)],
      },
    ];
  }
  // A channel name several products use, with no PID declared: the build is fine for any of them.
  if (pids.some((p) => facts.products.find((x) => x.pid === p)?.keys.includes(key))) return [];
  const fixes: SourceFix[] = pids.flatMap(bindFix);
  const bound = [...new Set(pids.flatMap((p) => facts.products.find((x) => x.pid === p)?.keys ?? []))];
  const channelKeys = [...new Set(channels.map((c) => c.firmwareKey).filter((k) => bound.includes(k)))];
  for (const k of channelKeys) {
    const edits = replaceValue(d, k);
    if (edits) fixes.push({ title: `Change to the channel's key ${k}`, edits, ...(channelKeys.length === 1 ? { preferred: true } : {}) });
  }
  fixes.push(...changeFixes(d, bound.filter((k) => !channelKeys.includes(k)), (v) => `Use bound key ${v}`));
  const via = channels.length ? `, which channel ${[...new Set(channels.map((c) => `"${c.name}"`))].join(', ')} uses` : '';
  problems.push({
    declaration: d,
    severity: 'error',
    code: 'key-not-bound',
    message: `${d.name}: firmware key "${key}" is not bound to PID ${pids.map((p) => `"${p}"`).join(' or ')}${via} (bound: ${quoteList(bound)}), so devices flashed with this build are not offered its updates. Bind the key if devices were shipped with it, or build with a bound key.`,
    fixes,
  });
  return problems;
}

/** `file:line:col: message`, as compilers print it, so terminals and problem matchers link it. */
export function formatSourceProblem(p: SourceProblem, file = p.declaration.file): string {
  return `${file}:${p.declaration.line}:${p.declaration.column}: ${p.severity}: ${p.message}`;
}

import { findNodeAtLocation, findNodeAtOffset, getNodePath } from 'jsonc-parser';
import type { Node } from 'jsonc-parser';
import type { ConfigCheckResult } from '../config/check';
import { configFacts } from './configFacts';
import type { ConfigFacts } from './configFacts';

/** What a hover shows for an identity value in the config, and the range of the value it is about. */
export interface ConfigHover {
  markdown: string;
  offset: number;
  length: number;
}

/** What an identity value is: a PID, a firmware key, or a channel name (of a PID when known). */
export type IdentityRole = { kind: 'pid'; pid: string } | { kind: 'key'; key: string } | { kind: 'channel'; name: string; pid: string | undefined };

/**
 * The hover for a firmware key, PID or channel name at `offset` in one of the checked files: which
 * products, channels and devices use it, read from the merged config (so ota.local.json counts).
 */
export function configHoverAt(result: ConfigCheckResult, file: string, offset: number): ConfigHover | undefined {
  const parsed = result.files.find((f) => f.file === file);
  if (!parsed?.root || !result.merged) return undefined;
  const node = findNodeAtOffset(parsed.root, offset);
  if (node?.type !== 'string' || typeof node.value !== 'string' || node.parent?.children?.[0] === node && node.parent.type === 'property') return undefined;
  const role = roleOf(parsed.root, node);
  if (!role) return undefined;
  return { markdown: describeIdentity(configFacts(result.merged.value), role), offset: node.offset, length: node.length };
}

/** Markdown saying which products, channels and devices use a PID, key or channel. */
export function describeIdentity(facts: ConfigFacts, role: IdentityRole): string {
  return role.kind === 'pid' ? describePid(facts, role.pid) : role.kind === 'key' ? describeKey(facts, role.key) : describeChannel(facts, role.name, role.pid);
}

function roleOf(root: Node, node: Node): IdentityRole | undefined {
  const path = getNodePath(node);
  const value = node.value as string;
  const [list, , field, sub] = path;
  const sibling = (p: (string | number)[]): string | undefined => {
    const v = findNodeAtLocation(root, p)?.value;
    return typeof v === 'string' ? v : undefined;
  };
  if (list === 'products' && field === 'pid' && path.length === 3) return { kind: 'pid', pid: value };
  if (list === 'products' && field === 'firmwareKeys' && path.length === 4) return { kind: 'key', key: value };
  if (list === 'channels' && path.length === 3) {
    if (field === 'pid') return { kind: 'pid', pid: value };
    if (field === 'firmwareKey') return { kind: 'key', key: value };
    if (field === 'name') return { kind: 'channel', name: value, pid: sibling([...path.slice(0, 2), 'pid']) };
  }
  if (list === 'devices' && field === 'expect' && path.length === 4) {
    if (sub === 'pid') return { kind: 'pid', pid: value };
    if (sub === 'firmwareKey') return { kind: 'key', key: value };
    if (sub === 'channel') return { kind: 'channel', name: value, pid: sibling([...path.slice(0, 3), 'pid']) };
  }
  return undefined;
}

const code = (s: string): string => `\`${s.replace(/`/g, "'")}\``;
const codes = (items: readonly string[]): string => (items.length ? [...new Set(items)].map(code).join(', ') : '(none)');

function describePid(facts: ConfigFacts, pid: string): string {
  const product = facts.products.find((p) => p.pid === pid);
  if (!product) return `**PID ${code(pid)}**: no product has this PID, so nothing is released for it. Known PIDs: ${codes(facts.products.map((p) => p.pid))}.`;
  const channels = facts.channels.filter((c) => c.pid === pid);
  const devices = facts.devices.filter((d) => d.pid === pid);
  return [
    `**PID ${code(pid)}**${product.name ? ` — ${product.name}` : ''}`,
    `Firmware keys bound: ${codes(product.keys)}`,
    `Channels: ${channels.length ? channels.map((c) => `${code(c.name)} (key ${code(c.firmwareKey)})`).join(', ') : '(none)'}`,
    `Devices expecting it: ${codes(devices.map((d) => d.name))}`,
  ].join('\n\n');
}

function describeKey(facts: ConfigFacts, key: string): string {
  const products = facts.products.filter((p) => p.keys.includes(key));
  const channels = facts.channels.filter((c) => c.firmwareKey === key);
  const devices = facts.devices.filter((d) => d.firmwareKey === key);
  return [
    `**Firmware key ${code(key)}**`,
    products.length
      ? `Bound to: ${products.map((p) => `${p.name ? `${p.name} ` : ''}(${code(p.pid)})`).join(', ')}`
      : 'Bound to no product: a device that reports this key is offered no update.',
    `Released on channels: ${channels.length ? channels.map((c) => `${code(c.name)} of ${code(c.pid)}`).join(', ') : '(none)'}`,
    `Devices reporting it: ${codes(devices.map((d) => d.name))}`,
    'A deployment reaches a device only when its key is the one written to the device at flashing time and is bound to the device\'s PID.',
  ].join('\n\n');
}

function describeChannel(facts: ConfigFacts, name: string, pid: string | undefined): string {
  const channels = facts.channels.filter((c) => c.name === name && (pid === undefined || c.pid === pid));
  if (!channels.length) {
    const known = facts.channels.filter((c) => pid === undefined || c.pid === pid).map((c) => c.name);
    return `**Channel ${code(name)}**: no such channel${pid ? ` for PID ${code(pid)}` : ''}, so a device flashed for it is offered nothing. Known: ${codes(known)}.`;
  }
  return channels
    .map((c) => {
      const bound = facts.products.find((p) => p.pid === c.pid)?.keys.includes(c.firmwareKey) ?? false;
      const devices = facts.devices.filter((d) => d.channel === name && (d.pid === undefined || d.pid === c.pid));
      return [
        `**Channel ${code(c.name)}** of PID ${code(c.pid)}`,
        `Released under firmware key ${code(c.firmwareKey)}${bound ? '' : ' — not bound to this PID, so no device is offered these images'}`,
        `Devices on it: ${codes(devices.map((d) => d.name))}`,
      ].join('\n\n');
    })
    .join('\n\n---\n\n');
}

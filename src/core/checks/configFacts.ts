import { isPlainObject } from '../config/merged';

/**
 * The identity facts of a config (products, channels, devices), read leniently from the merged
 * value: the editor needs them while the file is half-typed and the typed model is unavailable.
 * Entries of the wrong shape are skipped (the schema check reports them).
 */
export interface ConfigFacts {
  products: { pid: string; name: string; keys: string[]; index: number }[];
  channels: { name: string; pid: string; firmwareKey: string; index: number }[];
  devices: { name: string; pid?: string; firmwareKey?: string; channel?: string; index: number }[];
  servers: string[];
  deviceNames: string[];
}

type Obj = Record<string, unknown>;
const str = (o: Obj, k: string): string => (typeof o[k] === 'string' ? (o[k] as string) : '');
const opt = (o: Obj, k: string): { [key: string]: string } => (typeof o[k] === 'string' && o[k] !== '' ? { [k]: o[k] as string } : {});

function list(root: unknown, key: string): [Obj, number][] {
  if (!isPlainObject(root) || !Array.isArray(root[key])) return [];
  return (root[key] as unknown[]).flatMap((e, i): [Obj, number][] => (isPlainObject(e) ? [[e, i]] : []));
}

export function configFacts(value: unknown): ConfigFacts {
  const products = list(value, 'products').map(([p, index]) => ({
    pid: str(p, 'pid'),
    name: str(p, 'name'),
    keys: Array.isArray(p.firmwareKeys) ? p.firmwareKeys.filter((k): k is string => typeof k === 'string') : [],
    index,
  }));
  const channels = list(value, 'channels').map(([c, index]) => ({ name: str(c, 'name'), pid: str(c, 'pid'), firmwareKey: str(c, 'firmwareKey'), index }));
  const devices = list(value, 'devices').map(([d, index]) => {
    const expect = isPlainObject(d.expect) ? d.expect : {};
    return { name: str(d, 'name'), index, ...opt(expect, 'pid'), ...(opt(expect, 'firmwareKey') as { firmwareKey?: string }), ...(opt(expect, 'channel') as { channel?: string }) };
  });
  return {
    products,
    channels,
    devices,
    servers: list(value, 'servers').map(([s]) => str(s, 'name')).filter(Boolean),
    deviceNames: devices.map((d) => d.name).filter(Boolean),
  };
}

/** The keys bound to `pid` (the first product with that PID, as the checks use), or undefined for an unknown PID. */
export function boundKeys(facts: ConfigFacts, pid: string): string[] | undefined {
  return facts.products.find((p) => p.pid === pid)?.keys;
}

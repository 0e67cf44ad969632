import { getNodePath } from 'jsonc-parser';
import type { Node } from 'jsonc-parser';
import type { ConfigDiagnostic } from './diagnostic';
import { formatPath } from './diagnostic';
import { makeDiagnostic } from './parse';
import type { ParsedConfig } from './parse';
import { deref, otaSchema } from './schema';
import type { JsonSchema } from './schema';

export type JsonPath = readonly (string | number)[];

/** Where a value of the merged config was written: which file, which node, and its property name. */
export interface ValueLocation {
  parsed: ParsedConfig;
  node: Node;
  keyNode?: Node;
}

/** Which part of a value a diagnostic underlines. */
export type Target = 'value' | 'key' | 'start';

const pathKey = (path: JsonPath): string => JSON.stringify(path);

/**
 * The shared config with the local overrides merged over it, as plain JSON values, remembering for
 * every value the file and range it came from, so that checks over the merged result point into
 * the right file.
 */
export class MergedConfig {
  value: unknown = undefined;
  /** Problems found while merging (duplicate property names). */
  readonly diagnostics: ConfigDiagnostic[] = [];
  private readonly locations = new Map<string, ValueLocation>();

  constructor(readonly files: readonly ParsedConfig[]) {}

  /** The location of `path`, or of its nearest ancestor that has one. */
  locate(path: JsonPath): ValueLocation | undefined {
    return this.locateWithDepth(path)?.loc;
  }

  private locateWithDepth(path: JsonPath): { loc: ValueLocation; depth: number } | undefined {
    for (let n = path.length; n >= 0; n--) {
      const loc = this.locations.get(pathKey(path.slice(0, n)));
      if (loc) return { loc, depth: n };
    }
    return undefined;
  }

  /**
   * The path of a merged value inside the file that holds it: entries added by ota.local.json
   * sit at other indexes there (the merged `servers[3]` may be the local file's `servers[0]`).
   */
  filePath(path: JsonPath): JsonPath {
    const found = this.locateWithDepth(path);
    return found ? [...getNodePath(found.loc.node), ...path.slice(found.depth)] : path;
  }

  /** Whether `path` itself (not an ancestor) has a location. */
  has(path: JsonPath): boolean {
    return this.locations.has(pathKey(path));
  }

  diagnostic(
    path: JsonPath,
    target: Target,
    fields: Pick<ConfigDiagnostic, 'stage' | 'code' | 'message'> & Partial<Pick<ConfigDiagnostic, 'severity'>>,
  ): ConfigDiagnostic {
    const where = formatPath(this.filePath(path));
    const merged = formatPath(path);
    // Checks name values by their merged path; a person needs the path in the file they open.
    const message = where !== merged && fields.message.startsWith(merged) ? where + fields.message.slice(merged.length) : fields.message;
    const loc = this.locate(path);
    const parsed = loc?.parsed ?? this.files[0]!;
    let offset = 0;
    let length = 0;
    if (loc) {
      const exact = this.has(path);
      const node = (target === 'key' || target === 'start' || !exact) && loc.keyNode ? loc.keyNode : loc.node;
      offset = node.offset;
      length = target === 'start' && !loc.keyNode ? 1 : node.length;
    }
    return makeDiagnostic(parsed, offset, length, { ...fields, message, where });
  }

  /** Records `node` (from `parsed`) as the value at `path`, replacing anything recorded under it. */
  setLocation(path: JsonPath, loc: ValueLocation): void {
    const prefix = pathKey(path).slice(0, -1);
    if (path.length === 0) this.locations.clear();
    for (const key of [...this.locations.keys()]) {
      if (key.startsWith(prefix) && (key.length === prefix.length + 1 || key[prefix.length] === ',')) this.locations.delete(key);
    }
    this.locations.set(pathKey(path), loc);
  }

  /** Converts a JSONC node to a plain value, recording locations. */
  read(parsed: ParsedConfig, node: Node, path: JsonPath, keyNode?: Node): unknown {
    this.setLocation(path, { parsed, node, ...(keyNode ? { keyNode } : {}) });
    return this.readChildren(parsed, node, path);
  }

  private readChildren(parsed: ParsedConfig, node: Node, path: JsonPath): unknown {
    switch (node.type) {
      case 'object': {
        const obj: Record<string, unknown> = {};
        const seen = new Set<string>();
        for (const prop of node.children ?? []) {
          const [keyNode, valueNode] = prop.children ?? [];
          if (!keyNode || !valueNode || typeof keyNode.value !== 'string') continue;
          const key = keyNode.value;
          if (seen.has(key)) {
            this.diagnostics.push(
              makeDiagnostic(parsed, keyNode.offset, keyNode.length, {
                stage: 'schema',
                code: 'duplicate-property',
                message: `property "${key}" is written twice in this object: expected each property once (the last one wins)`,
                where: formatPath([...path, key]),
              }),
            );
          }
          seen.add(key);
          define(obj, key, this.read(parsed, valueNode, [...path, key], keyNode));
        }
        return obj;
      }
      case 'array':
        return (node.children ?? []).map((child, i) => this.read(parsed, child, [...path, i]));
      default:
        return node.value;
    }
  }

  /**
   * Merges an override file over the current value: objects merge key by key; arrays whose schema
   * names identity keys (servers by name, devices by name, …) merge entry by entry; anything else
   * is replaced.
   */
  overlay(parsed: ParsedConfig, node: Node): void {
    this.value = this.mergeNode(this.value, parsed, node, [], otaSchema, undefined);
  }

  private mergeNode(base: unknown, parsed: ParsedConfig, node: Node, path: JsonPath, schema: JsonSchema | undefined, keyNode: Node | undefined): unknown {
    const s = schema ? safeDeref(schema) : undefined;
    if (node.type === 'object' && isPlainObject(base)) {
      for (const prop of node.children ?? []) {
        const [k, v] = prop.children ?? [];
        if (!k || !v || typeof k.value !== 'string') continue;
        const key = k.value;
        const child = Object.hasOwn(base, key) ? base[key] : undefined;
        const merged = child === undefined ? this.read(parsed, v, [...path, key], k) : this.mergeNode(child, parsed, v, [...path, key], s?.properties?.[key], k);
        define(base, key, merged);
      }
      return base;
    }
    const identity = s?.['x-ota-identity'];
    if (node.type === 'array' && Array.isArray(base) && identity) {
      for (const item of node.children ?? []) {
        const id = identityOf(item, identity);
        const index = id === undefined ? -1 : base.findIndex((entry) => isPlainObject(entry) && identity.every((k, i) => entry[k] === id[i]));
        if (index >= 0) {
          base[index] = this.mergeNode(base[index], parsed, item, [...path, index], s?.items, undefined);
        } else {
          base.push(this.read(parsed, item, [...path, base.length]));
        }
      }
      return base;
    }
    return this.read(parsed, node, path, keyNode);
  }
}

function identityOf(node: Node, keys: readonly string[]): string[] | undefined {
  if (node.type !== 'object') return undefined;
  const values: string[] = [];
  for (const key of keys) {
    const prop = node.children?.find((p) => p.children?.[0]?.value === key);
    const value = prop?.children?.[1]?.value;
    if (typeof value !== 'string') return undefined;
    values.push(value);
  }
  return values;
}

function safeDeref(schema: JsonSchema): JsonSchema | undefined {
  try {
    return deref(schema);
  } catch {
    return undefined;
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Sets an own property even for names such as `__proto__`, which plain assignment would not. */
function define(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

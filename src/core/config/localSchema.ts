import type { JsonSchema } from './schema';

/**
 * The schema for `.vscode/ota.local.json`, derived from the shared one: the same fields, but
 * nothing is required (an override names only what it changes, e.g. one device's serial port),
 * and the server/version variants are flattened because an override may leave out `type`.
 * The loader checks the merged result against the full schema instead.
 */
export function deriveLocalSchema(shared: JsonSchema): JsonSchema {
  const local = relax(structuredClone(shared)) as JsonSchema & { $id?: string; title?: string };
  local.$id = 'https://ota-workbench.invalid/schemas/ota.local.schema.json';
  local.title = 'OTA Workbench personal overrides';
  local.description =
    'One person\'s overrides, merged over .vscode/ota.json: serial ports, local server port, extra devices. Same fields as ota.json; entries merge by name (servers, devices), PID (products) or PID + name (channels). Keep this file out of git.';
  return local;
}

function relax(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(relax);
  if (typeof node !== 'object' || node === null) return node;
  const schema = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'required' || key === 'minItems' || key === 'defaultSnippets') continue;
    out[key] = relax(value);
  }
  if (Array.isArray(out.oneOf)) {
    const branches = out.oneOf as JsonSchema[];
    delete out.oneOf;
    const properties: Record<string, JsonSchema> = {};
    for (const branch of branches) {
      for (const [name, prop] of Object.entries(branch.properties ?? {})) {
        if (prop.const !== undefined) {
          const existing = properties[name];
          properties[name] = { type: 'string', description: prop.description ?? '', enum: [...(existing?.enum ?? []), prop.const] };
        } else if (!properties[name]) {
          properties[name] = prop;
        }
      }
    }
    out.type = 'object';
    out.additionalProperties = false;
    out.properties = properties;
  }
  return out;
}

import * as schemaJson from '../../../schemas/ota.schema.json';

/** The subset of JSON Schema (draft-07) that `schemas/ota.schema.json` uses and the loader checks. */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  patternErrorMessage?: string;
  minLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  uniqueItems?: boolean;
  oneOf?: JsonSchema[];
  default?: unknown;
  examples?: unknown[];
  definitions?: Record<string, JsonSchema>;
  /** Ours: a credential field that accepts only `${secret:NAME}` / `${env:NAME}`. */
  'x-ota-secret'?: boolean;
  /** Ours: the keys that identify an array entry when ota.local.json is merged over ota.json. */
  'x-ota-identity'?: string[];
}

/** The schema shipped in the extension (package.json `jsonValidation`), also used by the loader. */
export const otaSchema: JsonSchema = ((schemaJson as { default?: unknown }).default ?? schemaJson) as JsonSchema;

/** Resolves a local `$ref` (`#/definitions/x`), keeping sibling keywords such as `description`. */
export function deref(schema: JsonSchema, root: JsonSchema = otaSchema): JsonSchema {
  let current = schema;
  for (let depth = 0; current.$ref && depth < 16; depth++) {
    const name = /^#\/definitions\/(.+)$/.exec(current.$ref)?.[1];
    const target = name ? root.definitions?.[name] : undefined;
    if (!target) throw new Error(`schema: unresolved $ref ${current.$ref}`);
    const { $ref: _ref, ...siblings } = current;
    current = { ...target, ...siblings };
  }
  return current;
}

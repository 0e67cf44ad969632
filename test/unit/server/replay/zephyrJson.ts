/**
 * How Zephyr's JSON library reads an object against its descriptors (lib/utils/json.c at
 * 061e3459, `obj_parse` / `arr_parse` / `decode_value` / `decode_num`), enough to replay what the
 * hawkBit client accepts: fields it has no descriptor for are skipped (`skip_field`); a value of
 * another type than its descriptor fails the whole parse (-EINVAL); an object array longer than
 * its descriptor's maximum fails it too (-ENOSPC); numbers are strtol'd into an int32.
 * Strings come back as they are, absent fields as undefined, like the zeroed C struct.
 */
export type Descr =
  | { kind: 'string' }
  | { kind: 'number' }
  | { kind: 'object'; fields: Record<string, Descr> }
  | { kind: 'objArray'; max: number; element: Record<string, Descr> };

export class ZephyrJsonError extends Error {
  constructor(
    readonly errno: 'EINVAL' | 'ENOSPC',
    message: string,
  ) {
    super(`${message} (-${errno})`);
  }
}

export function zephyrParse(text: string, fields: Record<string, Descr>): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ZephyrJsonError('EINVAL', `not JSON: ${String(err)}`);
  }
  return decodeObject(value, fields, '$');
}

function decodeObject(value: unknown, fields: Record<string, Descr>, at: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ZephyrJsonError('EINVAL', `${at} is not an object`);
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const d = fields[key];
    if (!d) continue; // skip_field
    out[key] = decode(v, d, `${at}.${key}`);
  }
  return out;
}

function decode(value: unknown, d: Descr, at: string): unknown {
  switch (d.kind) {
    case 'string':
      if (typeof value !== 'string') throw new ZephyrJsonError('EINVAL', `${at} is not a string`);
      return value;
    case 'number':
      // decode_num: strtol over the token; the whole token must be consumed and fit an int32.
      if (typeof value !== 'number' || !Number.isInteger(value) || value < -(2 ** 31) || value >= 2 ** 31) throw new ZephyrJsonError('EINVAL', `${at} is not an int32`);
      return value;
    case 'object':
      return decodeObject(value, d.fields, at);
    case 'objArray': {
      if (!Array.isArray(value)) throw new ZephyrJsonError('EINVAL', `${at} is not an array`);
      if (value.length > d.max) throw new ZephyrJsonError('ENOSPC', `${at} has ${value.length} elements, the descriptor holds ${d.max}`);
      return value.map((e, i) => decodeObject(e, d.element, `${at}[${i}]`));
    }
  }
}

const href: Descr = { kind: 'object', fields: { href: { kind: 'string' } } };

/** hawkbit.c `json_ctl_res_descr`: the answer to a poll. */
export const ctlResDescr: Record<string, Descr> = {
  config: { kind: 'object', fields: { polling: { kind: 'object', fields: { sleep: { kind: 'string' } } } } },
  _links: { kind: 'object', fields: { deploymentBase: href, cancelAction: href, configData: href } },
};

/** hawkbit_priv.h: HAWKBIT_DEP_MAX_CHUNKS and HAWKBIT_DEP_MAX_CHUNK_ARTS. */
export const maxChunks = 1;
export const maxChunkArtifacts = 1;

/** hawkbit.c `json_dep_res_descr`: the answer to deploymentBase. */
export const depResDescr: Record<string, Descr> = {
  id: { kind: 'string' },
  deployment: {
    kind: 'object',
    fields: {
      download: { kind: 'string' },
      update: { kind: 'string' },
      chunks: {
        kind: 'objArray',
        max: maxChunks,
        element: {
          part: { kind: 'string' },
          version: { kind: 'string' },
          name: { kind: 'string' },
          artifacts: {
            kind: 'objArray',
            max: maxChunkArtifacts,
            element: {
              filename: { kind: 'string' },
              hashes: { kind: 'object', fields: { sha1: { kind: 'string' }, md5: { kind: 'string' }, sha256: { kind: 'string' } } },
              size: { kind: 'number' },
              _links: { kind: 'object', fields: { 'download-http': href, 'md5sum-http': href } },
            },
          },
        },
      },
    },
  },
};

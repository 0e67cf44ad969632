import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { OtaError } from '../errors';
import { parseIntelHex } from './intelHex';

export interface ImageBytes {
  bytes: Buffer;
  /** Set when the file was Intel HEX and `bytes` is its binary conversion. */
  hexBaseAddress?: number;
}

/** Reads a firmware file; Intel HEX (by extension or content) is converted to binary. */
export async function readImageFile(path: string): Promise<ImageBytes> {
  let raw: Buffer;
  try {
    raw = await readFile(path);
  } catch (err) {
    throw unreadable(path, err);
  }
  if (isIntelHex(path, raw)) {
    const hex = parseIntelHex(raw.toString('latin1'), path);
    return { bytes: hex.data, hexBaseAddress: hex.baseAddress };
  }
  return { bytes: raw };
}

export function isIntelHex(path: string, raw: Buffer): boolean {
  const ext = extname(path).toLowerCase();
  if (ext === '.hex' || ext === '.ihex') return true;
  return raw.length > 11 && raw[0] === 0x3a && /^:[0-9A-Fa-f]{10}/.test(raw.subarray(0, 11).toString('latin1'));
}

export function unreadable(path: string, err: unknown): OtaError {
  const code = (err as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : String(code ?? err);
  return new OtaError(`cannot read firmware file: ${why}`, {
    where: path,
    hint: 'Check the path (relative paths are taken from the current directory) and that the build produced it.',
    code: 'file-unreadable',
    cause: err,
  });
}

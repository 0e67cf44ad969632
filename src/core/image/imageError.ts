import { OtaError } from '../errors';

/** "file at offset 0x1f4 (500)": where a byte-level problem is, in the form a hex dump shows it. */
export function byteLocation(file: string, offset: number): string {
  return `${file} at offset 0x${offset.toString(16)} (${offset})`;
}

/**
 * The one error a bad image produces: what is wrong, the file and byte offset where the reader
 * noticed, and what to do about it.
 */
export function imageError(what: string, file: string, offset: number, hint: string, code = 'image-invalid'): OtaError {
  return new OtaError(what, { where: byteLocation(file, offset), hint, code });
}

import type { ParsedArgs } from './args';
import { stringFlag } from './args';
import { OtaError } from '../core/errors';

/** Reads sizes and addresses as imgtool accepts them: decimal or 0x-prefixed hex. */
export function parseIntegerText(text: string, name: string): number {
  const value = /^0x[0-9a-f]+$/i.test(text) ? parseInt(text, 16) : /^\d+$/.test(text) ? parseInt(text, 10) : NaN;
  if (!Number.isSafeInteger(value)) {
    throw new OtaError(`--${name} '${text}' is not a number`, { hint: `Write --${name} as decimal or hex, e.g. 512 or 0x200.`, code: 'usage' });
  }
  return value;
}

export function integerFlag(parsed: ParsedArgs, name: string): number | undefined {
  const text = stringFlag(parsed, name);
  return text === undefined ? undefined : parseIntegerText(text, name);
}

import { OtaError } from '../core/errors';
import { blankControlChars, hasControlChars } from '../core/text/controlChars';

/**
 * What a device may store on the server. Devices are not authenticated (or share one token), so
 * everything they send is bounded before it reaches the journal, the event history or a terminal.
 * The sizes follow hawkBit's own quotas (128-character attribute keys, 100 attributes a target)
 * with room for the long values ESP cores and SWUpdate report.
 */
export const deviceLimits = {
  idChars: 128,
  attributes: 100,
  keyChars: 128,
  valueChars: 512,
  /** A configData or feedback body. */
  bodyBytes: 64 * 1024,
  /** Details lines of one feedback, and how much of each line is kept. */
  details: 50,
  detailChars: 1024,
} as const;

/** Letters, digits and the punctuation device ids use (MACs, UUIDs, host names, serials). */
const idPattern = /^[A-Za-z0-9][A-Za-z0-9._:@+~-]*$/;

/** A device id from a path or a header: printable, no markup, bounded. 400 naming the rule otherwise. */
export function checkDeviceId(id: string): string {
  if (id.length > deviceLimits.idChars) {
    throw new OtaError(`device id is ${id.length} characters; at most ${deviceLimits.idChars} are accepted`, { code: 'bad-request', hint: 'use a shorter id (a MAC, serial or UUID)' });
  }
  if (!idPattern.test(id)) {
    throw new OtaError(`device id ${JSON.stringify(id.slice(0, 40))} has characters outside letters, digits and . _ : @ + ~ -`, {
      code: 'bad-request',
      hint: 'device ids must start with a letter or digit and use only letters, digits and . _ : @ + ~ -',
    });
  }
  return id;
}

/**
 * Attributes as a device reports them (hawkBit configData `data`, Arduino headers, query fields).
 * Values must be strings (numbers and booleans are taken as their text); nested objects are a
 * 400, not something to serialise; too many or too long is a 413 naming the limit.
 */
export function checkAttributes(data: Record<string, unknown>, existing: Readonly<Record<string, string>> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, raw] of Object.entries(data)) {
    if (key.length === 0 || key.length > deviceLimits.keyChars) {
      throw tooLarge(`attribute key of ${key.length} characters`, `keys must be 1 to ${deviceLimits.keyChars} characters`);
    }
    if (hasControlChars(key)) throw new OtaError(`attribute key ${JSON.stringify(key.slice(0, 40))} holds control characters`, { code: 'bad-request', hint: 'use printable text for attribute keys' });
    let value: string;
    if (typeof raw === 'string') value = raw;
    else if (typeof raw === 'number' || typeof raw === 'boolean') value = String(raw);
    else throw new OtaError(`attribute "${key.slice(0, 40)}" must be a string, not ${raw === null ? 'null' : Array.isArray(raw) ? 'an array' : typeof raw}`, { code: 'bad-request', hint: 'configData data maps names to strings, e.g. {"fw_key": "K1"}' });
    if (value.length > deviceLimits.valueChars) throw tooLarge(`attribute "${key.slice(0, 40)}" has ${value.length} characters`, `values hold at most ${deviceLimits.valueChars}`);
    if (hasControlChars(value)) throw new OtaError(`attribute "${key.slice(0, 40)}" holds control characters`, { code: 'bad-request', hint: 'send printable text (no escape codes, tabs or line breaks)' });
    out[key] = value;
  }
  const count = new Set([...Object.keys(existing), ...Object.keys(out)]).size;
  if (count > deviceLimits.attributes) throw tooLarge(`${count} attributes for one device`, `at most ${deviceLimits.attributes} are kept`);
  return out;
}

/**
 * Feedback `details` as stored: strings only (a detail that is not a string is a 400: calling a
 * device-supplied `toString` is what made `{"toString":1}` a 500), at most `details` lines, each
 * cut to `detailChars` with control characters replaced.
 */
export function checkDetails(details: unknown): string[] {
  if (details === undefined || details === null) return [];
  if (!Array.isArray(details)) throw new OtaError('feedback status.details must be a list of strings', { code: 'bad-request' });
  if (details.length > deviceLimits.details) throw tooLarge(`${details.length} feedback details`, `at most ${deviceLimits.details} lines a feedback`);
  return details.map((d, i) => {
    const text = typeof d === 'string' ? d : typeof d === 'number' || typeof d === 'boolean' ? String(d) : undefined;
    if (text === undefined) throw new OtaError(`feedback status.details[${i}] must be a string`, { code: 'bad-request' });
    // Control characters (ESC, CR/LF) would reach terminals and logs raw.
    const clean = blankControlChars(text);
    return clean.length > deviceLimits.detailChars ? `${clean.slice(0, deviceLimits.detailChars)}…` : clean;
  });
}

function tooLarge(what: string, limit: string): OtaError {
  return new OtaError(`${what}: over this server's limit (${limit})`, { code: 'too-large', hint: 'report fewer or shorter values' });
}

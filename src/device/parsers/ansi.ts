/**
 * Terminal escape sequences: CSI (colours, cursor), OSC (titles, hyperlinks) and two-byte escapes.
 * ESP-IDF wraps every log line in colour codes; patterns must not have to know that.
 */
// eslint-disable-next-line no-control-regex
const escapes = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]/g;
// eslint-disable-next-line no-control-regex
const controls = /[\x00-\x08\x0b-\x1f\x7f]/g;

/** The text a pattern should see: no escapes, no control characters (tabs kept). */
export function plainText(line: string): string {
  return line.replace(escapes, '').replace(controls, '');
}

/**
 * C0 controls, DEL and C1 controls: ESC (0x1b) and the 8-bit CSI (0x9b) start terminal escape
 * sequences (clear screen, window title, clipboard writes), CR and LF fake or hide lines.
 */
export function isControlCode(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f);
}

export function hasControlChars(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (isControlCode(text.charCodeAt(i))) return true;
  return false;
}

/** `text` with every control character as a visible `\xNN` (backslashes doubled, so it stays unambiguous). */
export function escapeControlChars(text: string): string {
  if (!hasControlChars(text) && !text.includes('\\')) return text;
  let out = '';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (ch === '\\') out += '\\\\';
    else if (ch.length === 1 && isControlCode(code)) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out;
}

/** `text` with each control character replaced by a space (for stored free text such as feedback details). */
export function blankControlChars(text: string): string {
  if (!hasControlChars(text)) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    out += isControlCode(code) ? ' ' : text[i];
  }
  return out;
}

/**
 * JSON text with DEL and the C1 controls written as `\u00XX` too (JSON.stringify escapes only
 * C0): the same JSON value, with nothing a terminal would act on.
 */
export function terminalSafeJson(json: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < json.length; i++) {
    const code = json.charCodeAt(i);
    if (code < 0x7f || code > 0x9f) continue;
    out += `${json.slice(from, i)}\\u00${code.toString(16)}`;
    from = i + 1;
  }
  return from === 0 ? json : out + json.slice(from);
}

import { createScanner, modify, SyntaxKind } from 'jsonc-parser';
import type { FormattingOptions, Node } from 'jsonc-parser';
import type { ConfigCheckResult } from '../config/check';
import type { JsonPath } from '../config/merged';
import type { ParsedConfig } from '../config/parse';
import { configFacts } from './configFacts';
import type { TextEdit } from './textEdit';

/**
 * Text edits on the config files that fix what the checks report. Every edit touches only the
 * value it changes (jsonc-parser's `modify`, or an insertion after the last array entry), so
 * comments, trailing commas and the rest of the layout stay as the user wrote them.
 */

/** Indentation as the file already uses it, so inserted structure looks like its neighbours. */
export function formattingOf(text: string): FormattingOptions {
  const indent = /^([ \t]+)\S/m.exec(text)?.[1] ?? '  ';
  return { insertSpaces: !indent.startsWith('\t'), tabSize: indent.startsWith('\t') ? 4 : indent.length, eol: text.includes('\r\n') ? '\r\n' : '\n' };
}

/** Replaces the value at a merged-config path in the file that holds it; undefined when it is not written anywhere. */
export function setValueEdits(result: ConfigCheckResult, path: JsonPath, value: unknown): TextEdit[] | undefined {
  const merged = result.merged;
  if (!merged?.has(path)) return undefined;
  const parsed = merged.locate(path)!.parsed;
  const edits = modify(parsed.text, [...merged.filePath(path)], value, { formattingOptions: formattingOf(parsed.text) });
  return edits.map((e) => ({ file: parsed.file, ...e }));
}

/**
 * Adds `key` to the firmwareKeys of the product with `pid` (the first one, as the checks read it),
 * in whichever file writes that list. Undefined when no product has that PID or it is bound already.
 */
export function bindKeyEdits(result: ConfigCheckResult, pid: string, key: string): TextEdit[] | undefined {
  const merged = result.merged;
  const product = configFacts(merged?.value).products.find((p) => p.pid === pid);
  if (!merged || !product || product.keys.includes(key)) return undefined;
  const listPath: JsonPath = ['products', product.index, 'firmwareKeys'];
  const loc = merged.has(listPath) ? merged.locate(listPath) : undefined;
  if (loc && loc.node.type === 'array') return appendToArray(loc.parsed, loc.node, key);
  const productPath: JsonPath = ['products', product.index];
  if (!merged.has(productPath)) return undefined;
  const parsed = merged.locate(productPath)!.parsed;
  const edits = modify(parsed.text, [...merged.filePath(productPath), 'firmwareKeys'], [key], { formattingOptions: formattingOf(parsed.text) });
  return edits.map((e) => ({ file: parsed.file, ...e }));
}

/**
 * Appends a string to a JSON array in place. One-line arrays get `, "x"` after the last entry;
 * arrays written one entry a line get a new line with the last entry's indentation, keeping a
 * trailing comma and any comment after the last entry where they were.
 */
export function appendToArray(parsed: ParsedConfig, array: Node, value: string): TextEdit[] {
  const text = parsed.text;
  const literal = JSON.stringify(value);
  const at = (offset: number, content: string): TextEdit => ({ file: parsed.file, offset, length: 0, content });
  const items = array.children ?? [];
  const last = items[items.length - 1];
  if (!last) return [at(array.offset + 1, literal)];
  const lastEnd = last.offset + last.length;
  const close = array.offset + array.length - 1;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lineStart = Math.max(text.lastIndexOf('\n', last.offset) + 1, 0);
  const indent = text.slice(lineStart, last.offset);
  const ownLine = /^[ \t]*$/.test(indent) && text.slice(lastEnd, close).includes('\n');
  const comma = commaAfter(text, lastEnd, close);
  if (!ownLine) return [comma === undefined ? at(lastEnd, `, ${literal}`) : at(comma + 1, ` ${literal},`)];
  const lineEnd = lineEndAfter(text, comma ?? lastEnd);
  if (comma !== undefined) return [at(lineEnd, `${eol}${indent}${literal},`)];
  // No trailing comma: one after the last entry, and the new entry on a line of its own.
  if (lineEnd === lastEnd) return [at(lastEnd, `,${eol}${indent}${literal}`)];
  return [at(lastEnd, ','), at(lineEnd, `${eol}${indent}${literal}`)];
}

/** The offset of a comma between `from` and `to`, skipping whitespace and comments. */
function commaAfter(text: string, from: number, to: number): number | undefined {
  const scanner = createScanner(text, false);
  scanner.setPosition(from);
  for (let kind = scanner.scan(); kind !== SyntaxKind.EOF && scanner.getTokenOffset() < to; kind = scanner.scan()) {
    if (kind === SyntaxKind.CommaToken) return scanner.getTokenOffset();
    if (kind !== SyntaxKind.Trivia && kind !== SyntaxKind.LineBreakTrivia && kind !== SyntaxKind.LineCommentTrivia && kind !== SyntaxKind.BlockCommentTrivia) return undefined;
  }
  return undefined;
}

/** End of the line holding `offset` (before its line break), past a line comment on it. */
function lineEndAfter(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  const end = nl < 0 ? text.length : nl;
  return text[end - 1] === '\r' ? end - 1 : end;
}

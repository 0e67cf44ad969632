/**
 * Finds user-facing text in extension code that does not go through `l10n.t(...)`: the first
 * argument of `show{Information,Warning,Error}Message(` and of `withCancellableProgress(`, and the
 * value of the keys and properties VS Code shows (`placeHolder:`, `prompt:`, `title:`, `label:`,
 * `description:`, `detail:`, `tooltip:`, `message:`, `openLabel:`, `saveLabel:`, `.text =`,
 * `.tooltip =`, `.description =`). A string or template literal there with words in it is
 * untranslated; literals inside `l10n.t(...)`, compared with `===`/`!==`, or made only of codicons
 * (`$(key)`), placeholders, punctuation and the product's name pass. Log calls are not looked at:
 * the output channel stays in English for bug reports.
 */
export interface Untranslated {
  line: number;
  text: string;
}

const sites = /\bshow(?:Information|Warning|Error)Message\(|\bwithCancellableProgress\(|\b(?:placeHolder|prompt|title|label|description|detail|tooltip|message|openLabel|saveLabel)\s*:(?!:)|\.(?:text|tooltip|description)\s*=(?!=)/g;

export function findUntranslated(source: string): Untranslated[] {
  const found: Untranslated[] = [];
  const inLiteral = literalRanges(source);
  for (const site of source.matchAll(sites)) {
    // "label:" inside a message is prose, not a property.
    if (inLiteral(site.index)) continue;
    for (const literal of literalsOfExpression(source, site.index + site[0].length)) {
      if (hasWords(literal.staticText)) found.push({ line: lineOf(source, literal.start), text: source.slice(literal.start, literal.end) });
    }
  }
  return found;
}

/** Whether an index lies inside a string or template literal (or a comment) of the source. */
function literalRanges(source: string): (index: number) => boolean {
  const ranges: [number, number][] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === "'" || c === '"' || c === '`') {
      const end = readLiteral(source, i).end;
      ranges.push([i, end]);
      i = end;
    } else if (source.startsWith('//', i)) {
      const end = source.indexOf('\n', i);
      ranges.push([i, end < 0 ? source.length : end]);
      i = end < 0 ? source.length : end;
    } else if (source.startsWith('/*', i)) {
      const end = source.indexOf('*/', i + 2);
      ranges.push([i, end < 0 ? source.length : end + 2]);
      i = end < 0 ? source.length : end + 2;
    } else i++;
  }
  return (index) => ranges.some(([start, end]) => index > start && index < end);
}

interface Literal {
  start: number;
  end: number;
  /** The literal's text; for a template, without its `${…}` parts. */
  staticText: string;
}

/** The string and template literals of the expression starting at `from`, up to the `,` `)` `]` `}` `;` that ends it. */
function literalsOfExpression(source: string, from: number): Literal[] {
  const literals: Literal[] = [];
  let depth = 0;
  let i = from;
  while (i < source.length) {
    const c = source[i]!;
    if (c === "'" || c === '"' || c === '`') {
      const literal = readLiteral(source, i);
      if (!/(?:===|!==|==|!=)\s*$/.test(source.slice(Math.max(from, i - 6), i))) literals.push(literal);
      i = literal.end;
      continue;
    }
    if (source.startsWith('l10n.t(', i)) {
      i = skipBalanced(source, i + 'l10n.t'.length);
      continue;
    }
    if (source.startsWith('//', i)) {
      i = source.indexOf('\n', i);
      if (i < 0) break;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (depth === 0) break;
      depth--;
    } else if ((c === ',' || c === ';') && depth === 0) break;
    i++;
  }
  return literals;
}

function readLiteral(source: string, start: number): Literal {
  const quote = source[start]!;
  let i = start + 1;
  let staticText = '';
  while (i < source.length && source[i] !== quote) {
    if (source[i] === '\\') {
      staticText += source.slice(i, i + 2);
      i += 2;
    } else if (quote === '`' && source.startsWith('${', i)) {
      i = skipBalanced(source, i + 1);
      staticText += ' ';
    } else staticText += source[i++];
  }
  return { start, end: i + 1, staticText };
}

/** The index after the bracket that closes the one at `open`, skipping literals inside. */
function skipBalanced(source: string, open: number): number {
  let depth = 0;
  let i = open;
  while (i < source.length) {
    const c = source[i]!;
    if (c === "'" || c === '"' || c === '`') {
      i = readLiteral(source, i).end;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  return i;
}

function hasWords(text: string): boolean {
  const rest = text
    .replace(/\$\([a-z0-9-~]+\)/g, ' ') // codicons
    .replace(/\\[ntr]/g, ' ')
    .replace(/\bOTA\b/g, ' ');
  return /[A-Za-z]{2,}/.test(rest);
}

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

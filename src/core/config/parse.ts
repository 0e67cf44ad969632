import { parseTree, printParseErrorCode } from 'jsonc-parser';
import type { Node, ParseError } from 'jsonc-parser';
import { LineIndex } from './diagnostic';
import type { ConfigDiagnostic } from './diagnostic';

/** A config file's text, from disk or from an unsaved editor buffer. */
export interface ConfigSource {
  file: string;
  text: string;
}

/** A config file parsed as JSONC (comments and trailing commas allowed). */
export interface ParsedConfig {
  file: string;
  text: string;
  lines: LineIndex;
  /** Undefined for an empty file; jsonc-parser recovers from most syntax errors, so a tree usually exists. */
  root: Node | undefined;
  diagnostics: ConfigDiagnostic[];
}

/** What each jsonc-parser error means for a person, phrased as what was expected. */
const syntaxMessages: Record<string, string> = {
  InvalidSymbol: 'unexpected character: expected a value (string, number, object, array, true, false or null)',
  InvalidNumberFormat: 'invalid number: expected digits such as 42 or 1.5',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value (string, number, object, array, true, false or null)',
  ColonExpected: "expected ':' after the property name",
  CommaExpected: "expected ',' between entries",
  CloseBraceExpected: "expected '}' to close the object",
  CloseBracketExpected: "expected ']' to close the array",
  EndOfFileExpected: 'expected the end of the file after the top-level object',
  InvalidCommentToken: 'invalid comment: expected // or /* */',
  UnexpectedEndOfComment: "unterminated comment: expected '*/'",
  UnexpectedEndOfString: 'unterminated string: expected a closing double quote',
  UnexpectedEndOfNumber: 'incomplete number: expected digits',
  InvalidUnicode: 'invalid unicode escape: expected \\u followed by four hex digits',
  InvalidEscapeCharacter: 'invalid escape: expected one of \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX',
  InvalidCharacter: 'invalid character in string: control characters must be escaped',
};

export function makeDiagnostic(
  parsed: Pick<ParsedConfig, 'file' | 'lines'>,
  offset: number,
  length: number,
  fields: Pick<ConfigDiagnostic, 'stage' | 'code' | 'message'> & Partial<Pick<ConfigDiagnostic, 'severity' | 'where'>>,
): ConfigDiagnostic {
  const start = parsed.lines.position(offset);
  const end = parsed.lines.position(offset + Math.max(length, 0));
  return {
    file: parsed.file,
    line: start.line,
    column: start.column,
    endLine: end.line,
    endColumn: end.column,
    offset,
    length: Math.max(length, 0),
    severity: fields.severity ?? 'error',
    stage: fields.stage,
    code: fields.code,
    message: fields.message,
    ...(fields.where === undefined ? {} : { where: fields.where }),
  };
}

export function parseConfigSource(source: ConfigSource): ParsedConfig {
  const errors: ParseError[] = [];
  const root = parseTree(source.text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
  const parsed: ParsedConfig = { file: source.file, text: source.text, lines: new LineIndex(source.text), root, diagnostics: [] };
  for (const e of errors) {
    const name = printParseErrorCode(e.error);
    parsed.diagnostics.push(
      makeDiagnostic(parsed, e.offset, e.length, { stage: 'syntax', code: `syntax-${name}`, message: syntaxMessages[name] ?? `syntax error (${name})` }),
    );
  }
  if (!root && errors.length === 0) {
    parsed.diagnostics.push(
      makeDiagnostic(parsed, 0, 0, { stage: 'syntax', code: 'empty', message: 'the file is empty: expected a JSON object such as { "products": [], "channels": [] }' }),
    );
  }
  return parsed;
}

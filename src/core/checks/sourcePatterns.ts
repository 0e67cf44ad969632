import { LineIndex } from '../config/diagnostic';

/** The OTA identity a firmware declares: the key written at flashing time, its channel, its product. */
export type IdentityField = 'firmwareKey' | 'channel' | 'pid';

/** Macro / Kconfig names (without `CONFIG_`) that declare each field; a project may use its own. */
export interface SourceNames {
  firmwareKey: readonly string[];
  channel: readonly string[];
  pid: readonly string[];
}

export const defaultSourceNames: SourceNames = {
  firmwareKey: ['OTA_FW_KEY', 'OTA_FIRMWARE_KEY'],
  channel: ['OTA_CHANNEL'],
  pid: ['OTA_PID'],
};

/**
 * How a file declares values: `#define NAME "v"` (C/C++/Arduino), `CONFIG_NAME="v"` (ESP-IDF
 * sdkconfig, Zephyr prj.conf and other Kconfig fragments), `-DNAME=\"v\"` (PlatformIO
 * build_flags), `NAME="v"` in compile definitions (CMake).
 */
export type SourceSyntax = 'c' | 'kconfig' | 'platformio' | 'cmake';

/** One declaration found in a file, with the range of its string literal (quotes included) and of the value inside. */
export interface SourceDeclaration {
  file: string;
  field: IdentityField;
  /** The name as written, e.g. `CONFIG_OTA_FW_KEY`. */
  name: string;
  value: string;
  syntax: SourceSyntax;
  offset: number;
  length: number;
  valueOffset: number;
  valueLength: number;
  /** 1-based, of the literal's start and end. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

const cExtensions = /\.(c|h|cc|cpp|cxx|hpp|hh|hxx|ino)$/i;

/** The syntax a file is read with, from its name; undefined for files that are not checked. */
export function sourceSyntaxOf(file: string): SourceSyntax | undefined {
  const base = file.replace(/\\/g, '/').split('/').pop() ?? '';
  if (base === 'platformio.ini') return 'platformio';
  if (base === 'CMakeLists.txt' || /\.cmake$/i.test(base)) return 'cmake';
  // Not sdkconfig.old (menuconfig's backup holds stale values).
  if (/^sdkconfig(\.defaults(\..+)?)?$/.test(base) || /\.conf$/i.test(base)) return 'kconfig';
  if (cExtensions.test(base)) return 'c';
  return undefined;
}

/** Glob of the files `sourceSyntaxOf` recognises, for editors and file walkers. */
export const sourceFileGlob = '**/{platformio.ini,CMakeLists.txt,*.cmake,sdkconfig,sdkconfig.defaults*,*.conf,*.c,*.h,*.cc,*.cpp,*.cxx,*.hpp,*.hh,*.hxx,*.ino}';

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const alternatives = (names: readonly string[]): string => names.map(escapeRe).join('|');

/** Replaces comments with spaces (same length, line breaks kept) so offsets still match the text. */
function blank(text: string, comment: RegExp): string {
  return text.replace(comment, (m) => m.replace(/[^\r\n]/g, ' '));
}

function patternFor(syntax: SourceSyntax, names: string): RegExp {
  switch (syntax) {
    case 'c':
      return new RegExp(`^[ \\t]*#[ \\t]*define[ \\t]+(${names})[ \\t]+("((?:[^"\\\\\\r\\n]|\\\\.)*)")`, 'gm');
    case 'kconfig':
      return new RegExp(`^[ \\t]*(CONFIG_(?:${names}))[ \\t]*=[ \\t]*("((?:[^"\\\\\\r\\n]|\\\\.)*)")`, 'gm');
    case 'platformio':
      return new RegExp(`-D[ \\t]*(${names})=(\\\\?"([^"\\\\\\s]*)\\\\?")`, 'g');
    case 'cmake':
      return new RegExp(`(?:^|[\\s(;]|-D)(${names})=(\\\\?"([^"\\\\\\s]*)\\\\?")`, 'gm');
  }
}

function commentsOf(syntax: SourceSyntax): RegExp {
  switch (syntax) {
    case 'c':
      return /\/\*[\s\S]*?\*\/|\/\/[^\r\n]*/g;
    case 'platformio':
      return /^[ \t]*[;#][^\r\n]*|[ \t];[^\r\n]*/gm;
    case 'kconfig':
      // Whole-line comments only: a quoted value may hold '#'. `# CONFIG_X is not set` is one.
      return /^[ \t]*#[^\r\n]*/gm;
    case 'cmake':
      return /#[^\r\n]*/g;
  }
}

/** C-style escapes in a declared value (`\"`, `\\`); keys rarely need them, but a match must not keep them. */
function unescape(raw: string): string {
  return raw.replace(/\\(.)/g, '$1');
}

/**
 * Finds the OTA identity declarations in one file's text. Commented-out lines do not count
 * (`// #define …`, `# CONFIG_… is not set`, `; build_flags = …`). Pure: the caller reads the file.
 */
export function scanSource(file: string, text: string, names: SourceNames = defaultSourceNames, syntax = sourceSyntaxOf(file)): SourceDeclaration[] {
  if (!syntax) return [];
  const all = [...names.firmwareKey, ...names.channel, ...names.pid];
  if (!all.some((n) => text.includes(n))) return [];
  const fieldOf = (name: string): IdentityField => {
    const bare = syntax === 'kconfig' ? name.replace(/^CONFIG_/, '') : name;
    return names.firmwareKey.includes(bare) ? 'firmwareKey' : names.channel.includes(bare) ? 'channel' : 'pid';
  };
  const searched = blank(text, commentsOf(syntax));
  const lines = new LineIndex(text);
  const found: SourceDeclaration[] = [];
  for (const m of searched.matchAll(patternFor(syntax, alternatives(all)))) {
    const [whole, name, literal, raw] = m as unknown as [string, string, string, string];
    const offset = m.index + whole.length - literal.length;
    const valueOffset = offset + literal.indexOf('"') + 1;
    const start = lines.position(offset);
    const end = lines.position(offset + literal.length);
    found.push({
      file,
      field: fieldOf(name),
      name,
      value: unescape(raw),
      syntax,
      offset,
      length: literal.length,
      valueOffset,
      valueLength: raw.length,
      line: start.line,
      column: start.column,
      endLine: end.line,
      endColumn: end.column,
    });
  }
  return found;
}

/**
 * The text that writes `value` inside the declaration's quotes, or undefined when this syntax cannot
 * hold it (a PlatformIO flag value cannot contain quotes or spaces).
 */
export function encodeForSource(syntax: SourceSyntax, value: string): string | undefined {
  if (syntax === 'platformio' || syntax === 'cmake') return /^[^"\\\s]*$/.test(value) ? value : undefined;
  if (/[\r\n]/.test(value)) return undefined;
  return value.replace(/[\\"]/g, (c) => `\\${c}`);
}

/**
 * A problem found in a config file, positioned so the CLI can print `file:line:col: message`
 * and the editor can underline `offset`..`offset+length`.
 */
export interface ConfigDiagnostic {
  file: string;
  /** 1-based line and column (UTF-16 code units, as editors count). */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** 0-based offset and length in the file's text. */
  offset: number;
  length: number;
  severity: 'error' | 'warning';
  /**
   * Which check found it. The editor shows only `semantic` and `secret` ones live, because VS Code's
   * own JSON service already reports syntax and schema problems from `jsonValidation`.
   */
  stage: 'syntax' | 'schema' | 'semantic' | 'secret' | 'artifact';
  /** Stable id of the rule, e.g. `key-not-bound`. */
  code: string;
  message: string;
  /** The JSON path of the value, e.g. `channels[0].firmwareKey`. */
  where?: string;
}

export function formatDiagnostic(d: ConfigDiagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`;
}

export function hasErrors(diagnostics: readonly ConfigDiagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Line starts of a text, for turning offsets into 1-based line/column. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13 && text.charCodeAt(i + 1) !== 10) this.starts.push(i + 1);
    }
  }

  position(offset: number): { line: number; column: number } {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: o - this.starts[lo]! + 1 };
  }
}

/** Formats a JSON path as `servers[1].token`. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out || '(top level)';
}

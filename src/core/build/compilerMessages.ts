import { stripAnsi } from './buildFailure';

/**
 * Compiler messages read from build output by the problem matchers package.json contributes,
 * applied as VS Code applies them: each pattern's regexp to one line (a pattern list to
 * consecutive lines), its groups taken by index, colour codes removed first. The extension uses it
 * to check that what the build printed reached Problems; the matchers stay the one definition.
 */
export interface MatcherPattern {
  regexp: string;
  file?: number;
  line?: number;
  column?: number;
  severity?: number;
  message?: number;
}

export interface ProblemMatcher {
  name: string;
  /** What Problems shows as the message's source. */
  source?: string;
  /** The severity when no pattern has a severity group. */
  severity?: string;
  pattern: MatcherPattern | MatcherPattern[];
}

export interface CompilerMessage {
  /** The matcher that read it, and its source. */
  matcher: string;
  source?: string;
  file: string;
  /** 1-based, as the compiler prints it. */
  line: number;
  column?: number;
  severity: 'error' | 'warning' | 'info';
  message: string;
}

export function compilerMessages(output: string, matchers: readonly ProblemMatcher[]): CompilerMessage[] {
  const lines = output.split(/\r?\n/).map((l) => stripAnsi(l));
  const found: CompilerMessage[] = [];
  for (const matcher of matchers) {
    const patterns = Array.isArray(matcher.pattern) ? matcher.pattern : [matcher.pattern];
    const regexps = patterns.map((p) => new RegExp(p.regexp));
    for (let i = 0; i + patterns.length <= lines.length; i++) {
      const groups = regexps.map((r, k) => r.exec(lines[i + k]!));
      if (groups.some((g) => !g)) continue;
      const pick = (key: Exclude<keyof MatcherPattern, 'regexp'>): string | undefined => {
        for (const [k, p] of patterns.entries()) if (p[key] !== undefined) return groups[k]![p[key]];
        return undefined;
      };
      const file = pick('file');
      const line = Number(pick('line'));
      const message = pick('message');
      if (!file || !Number.isInteger(line) || !message) continue;
      const column = pick('column');
      found.push({ matcher: matcher.name, ...(matcher.source ? { source: matcher.source } : {}), file, line, ...(column ? { column: Number(column) } : {}), severity: severityOf(pick('severity') ?? matcher.severity), message });
    }
  }
  return found;
}

function severityOf(word: string | undefined): CompilerMessage['severity'] {
  const w = (word ?? 'error').toLowerCase();
  return w === 'warning' ? 'warning' : w === 'info' ? 'info' : 'error';
}

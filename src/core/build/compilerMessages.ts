import { stripAnsi } from './buildFailure';

/**
 * gcc-style compiler messages (`file:line[:col]: [fatal ]error|warning: text`) read from build
 * output: the same lines the `$ota-gcc` and `$ota-gcc-nocolumn` problem matchers contributed in
 * package.json match. Kept beside them so the extension can check that what the build printed
 * reached Problems.
 */
export interface CompilerMessage {
  file: string;
  /** 1-based, as the compiler prints it. */
  line: number;
  column?: number;
  severity: 'error' | 'warning';
  message: string;
}

const withColumn = /^([^:\s][^:]*(?::[\\/][^:]*)?):(\d+):(\d+):\s+(?:fatal\s+)?(error|warning):\s+(.*)$/;
const withoutColumn = /^([^:\s][^:]*(?::[\\/][^:]*)?):(\d+):\s+(?:fatal\s+)?(error|warning):\s+(.*)$/;

export function compilerMessages(output: string): CompilerMessage[] {
  const found: CompilerMessage[] = [];
  for (const raw of output.split(/\r?\n/)) {
    const line = stripAnsi(raw).trim();
    let m = withColumn.exec(line);
    if (m) {
      found.push({ file: m[1]!, line: Number(m[2]), column: Number(m[3]), severity: m[4] as CompilerMessage['severity'], message: m[5]! });
      continue;
    }
    m = withoutColumn.exec(line);
    if (m) found.push({ file: m[1]!, line: Number(m[2]), severity: m[3] as CompilerMessage['severity'], message: m[4]! });
  }
  return found;
}

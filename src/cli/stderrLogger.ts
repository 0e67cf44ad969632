import type { Logger } from '../core/logger';

/** The CLI's logger: one line per message on stderr, prefixed with its severity. */
export function stderrLogger(stderr: NodeJS.WritableStream, verbose: boolean): Logger {
  const write = (level: string, message: string | Error, args: unknown[]) =>
    stderr.write(`${level}: ${message instanceof Error ? message.message : message}${args.length ? ' ' + args.map(String).join(' ') : ''}\n`);
  return {
    trace: (m, ...a) => verbose && write('trace', m, a),
    debug: (m, ...a) => verbose && write('debug', m, a),
    info: (m, ...a) => write('info', m, a),
    warn: (m, ...a) => write('warning', m, a),
    error: (m, ...a) => write('error', m, a),
  };
}

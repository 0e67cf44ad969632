import { runOta } from './program';
import { OtaError } from '../core/errors';

/** The `ota` process: real streams, Ctrl-C and SIGTERM abort the running command. */
export async function main(argv: string[]): Promise<number> {
  const abort = new AbortController();
  const onSignal = () => abort.abort(new OtaError('interrupted'));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await runOta(argv, { cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr, signal: abort.signal });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

if (require.main === module) {
  // `ota … | head`: the reader went away. Like other Unix tools, stop quietly instead of throwing
  // an unhandled EPIPE (exit 141 is what a shell reports for a SIGPIPE'd writer).
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit(141);
  });
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

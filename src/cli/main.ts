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
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

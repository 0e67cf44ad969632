import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { OtaError } from '../../core/errors';

/** A socat pseudo-terminal pair: the simulator writes to `device`, a serial monitor opens `monitor`. */
export interface PtyPair {
  device: string;
  monitor: string;
  close(): Promise<void>;
}

/** Starts `socat` with two linked ptys in `dir`; waits (at most `timeoutMs`) until both exist. */
export async function openPtyPair(dir: string, timeoutMs = 5000): Promise<PtyPair> {
  const device = path.join(dir, 'device-uart');
  const monitor = path.join(dir, 'monitor');
  await fs.mkdir(dir, { recursive: true });
  let child: ChildProcess;
  try {
    child = spawn('socat', [`pty,raw,echo=0,link=${device}`, `pty,raw,echo=0,link=${monitor}`], { stdio: 'ignore' });
  } catch (err) {
    throw socatMissing(err);
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const failed = new Promise<Error>((resolve) => child.once('error', (err) => resolve(socatMissing(err))));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ready = (await exists(device)) && (await exists(monitor));
    if (ready) break;
    const error = await Promise.race([failed, new Promise<undefined>((r) => setTimeout(() => r(undefined), 20))]);
    if (error) throw error;
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new OtaError(`socat did not create the pty pair within ${timeoutMs} ms`, { where: dir, hint: 'check that socat works: socat -V' });
    }
  }
  return {
    device,
    monitor,
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

function socatMissing(err: unknown): OtaError {
  return new OtaError('cannot start socat to make a pseudo-terminal pair', { hint: 'install it (Debian/Ubuntu: apt-get install socat; macOS: brew install socat)', cause: err });
}

async function exists(p: string): Promise<boolean> {
  return fs.lstat(p).then(
    () => true,
    () => false,
  );
}

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** A socat pseudo-terminal pair: bytes written to one end are read from the other. */
export interface PtyPair {
  a: string;
  b: string;
  /** Ends this socat (the links vanish) and waits for it to exit. */
  close(): Promise<void>;
}

/** Starts socat and waits (bounded) until both links exist. */
export async function openPtyPair(dir: string, names: [string, string] = ['a', 'b'], timeoutMs = 3000): Promise<PtyPair> {
  const a = path.join(dir, names[0]);
  const b = path.join(dir, names[1]);
  const child = spawn('socat', [`pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + timeoutMs;
  while (!(await exists(a)) || !(await exists(b))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop(child, exited);
      throw new Error(`socat did not create ${a} and ${b} within ${timeoutMs} ms`);
    }
    await delay(20);
  }
  return { a, b, close: () => stop(child, exited) };
}

async function stop(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
  await exited;
  clearTimeout(timer);
}

export async function exists(p: string): Promise<boolean> {
  return fs.lstat(p).then(
    () => true,
    () => false,
  );
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

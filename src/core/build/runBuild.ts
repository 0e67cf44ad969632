import { spawn } from 'node:child_process';
import { hostname, userInfo } from 'node:os';
import { OtaError } from '../errors';
import type { Channel } from '../config/model';
import { resolveInFolder } from '../config/paths';
import { expandEnv } from '../config/resolveEnv';
import type { Logger } from '../logger';
import type { BuildMetadata } from '../release/manifest';
import { gitCommit, gitDirty } from '../version/gitInfo';
import { saveBuildRecord } from './buildRecord';
import { findArtifact } from './findArtifact';

export interface BuildOptions {
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Build output as it arrives, unchanged (compiler errors keep their file:line: form for problem matchers). */
  onOutput?: (text: string, stream: 'stdout' | 'stderr') => void;
  log?: Logger;
}

/** A build that ran and exited non-zero: the exit code tells a missing tool (127) from a compile error. */
export class BuildExitError extends OtaError {
  constructor(
    message: string,
    readonly exitCode: number,
    options: ConstructorParameters<typeof OtaError>[1],
  ) {
    super(message, options);
  }
}

export interface BuildOutcome {
  artifact: string;
  metadata: BuildMetadata;
}

export function builderName(): string {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (some containers): keep "unknown".
  }
  return `${user}@${hostname()}`;
}

/**
 * Runs the channel's build command through the shell as a child process, streaming its output,
 * then finds the artifact and records what a release needs to know about the build.
 */
export async function runBuild(channel: Channel, folder: string, options: BuildOptions): Promise<BuildOutcome> {
  const build = channel.build;
  if (!build) {
    throw new OtaError(`channel ${channel.name} has no build command`, { hint: 'Add "build": { "command": "…" } to the channel in .vscode/ota.json, or release the existing artifact with --no-build.', code: 'build-missing' });
  }
  const env: NodeJS.ProcessEnv = { ...options.env };
  for (const [name, value] of Object.entries(build.env ?? {})) env[name] = expandEnv(value, options.env, `build.env.${name}`);
  const cwd = resolveInFolder(folder, build.cwd ?? '.');
  const started = Date.now();
  const code = await new Promise<number>((resolve, reject) => {
    // detached: the command gets its own process group, so cancelling stops make's children too.
    const child = spawn(build.command, { cwd, env, shell: true, detached: process.platform !== 'win32', stdio: ['ignore', 'pipe', 'pipe'] });
    const onAbort = () => {
      try {
        if (child.pid !== undefined) process.kill(process.platform === 'win32' ? child.pid : -child.pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    // Decoded as streams: a pipe read can end inside a multi-byte character (a compiler's ‘quotes’
    // or a path in another script), which decoding each chunk on its own would turn into U+FFFD.
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (text: string) => options.onOutput?.(text, 'stdout'));
    child.stderr.on('data', (text: string) => options.onOutput?.(text, 'stderr'));
    child.on('error', (err) => reject(new OtaError(`cannot start the build: ${err.message}`, { where: cwd, hint: 'Check build.cwd and that the shell can run the command.', code: 'build-failed', cause: err })));
    child.on('close', (exitCode, signal) => {
      options.signal?.removeEventListener('abort', onAbort);
      resolve(exitCode ?? (signal ? 128 : 1));
    });
  });
  if (options.signal?.aborted) throw new OtaError('build cancelled', { code: 'cancelled' });
  if (code !== 0) {
    throw new BuildExitError(`build failed: "${build.command}" exited with code ${code}`, code, { where: cwd, hint: 'The compiler output above says why; fix it and build again.', code: 'build-failed' });
  }
  const artifact = await findArtifact(channel, folder, options.signal);
  if (artifact.mtimeMs < started - 2000) {
    options.log?.warn(`${artifact.path} is older than this build: the command may not write "${channel.artifact}"`);
  }
  const [commit, dirty] = await Promise.all([gitCommit(folder), gitDirty(folder)]);
  const metadata: BuildMetadata = {
    ...(commit ? { gitCommit: commit } : {}),
    ...(dirty !== undefined ? { gitDirty: dirty } : {}),
    time: new Date().toISOString(),
    builder: builderName(),
    size: artifact.size,
    command: build.command,
  };
  await saveBuildRecord(folder, channel, { artifact: artifact.path, size: artifact.size, mtimeMs: artifact.mtimeMs, metadata });
  return { artifact: artifact.path, metadata };
}

/** Metadata for an artifact that was not built by us (--no-build): what can still be known. */
export async function existingArtifactMetadata(size: number, mtimeMs: number, folder: string): Promise<BuildMetadata> {
  const [commit, dirty] = await Promise.all([gitCommit(folder), gitDirty(folder)]);
  return {
    ...(commit ? { gitCommit: commit } : {}),
    ...(dirty !== undefined ? { gitDirty: dirty } : {}),
    time: new Date(mtimeMs).toISOString(),
    builder: builderName(),
    size,
  };
}

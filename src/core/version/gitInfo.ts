import { execFile } from 'node:child_process';

/** Runs git in `cwd`; undefined when git is missing or the folder is not a repository. */
export function git(cwd: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, timeout: 10_000 }, (err, stdout) => resolve(err ? undefined : stdout.trim()));
  });
}

export async function gitCommit(cwd: string): Promise<string | undefined> {
  return git(cwd, ['rev-parse', 'HEAD']);
}

/** Uncommitted changes to tracked files (untracked files do not make a build irreproducible from the commit… usually; they are counted too, to be safe). */
export async function gitDirty(cwd: string): Promise<boolean | undefined> {
  const status = await git(cwd, ['status', '--porcelain']);
  return status === undefined ? undefined : status.length > 0;
}

import { execFileSync } from 'node:child_process';

/** Whether `cmd` is on the PATH. */
export function haveTool(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** CI sets CI=true (GitHub Actions, GitLab, .ci/run's machines all do). */
export function inCi(): boolean {
  return process.env.CI === 'true' || process.env.CI === '1';
}

/**
 * For a test that drives a real tool (swupdate, curl, openssl): on a developer's machine without
 * it the test is skipped (and counted as skipped); in CI, where scripts/setup.sh installs every
 * one of them, a missing tool is a failure, so a CI run can never pass by quietly testing less.
 */
export function requireTools(test: Mocha.Context, ...cmds: string[]): void {
  const missing = cmds.filter((c) => !haveTool(c));
  if (missing.length === 0) return;
  if (inCi()) throw new Error(`${missing.join(', ')} not found on the PATH: CI must run this test with the real tool (scripts/setup.sh installs it)`);
  test.skip();
}

/**
 * The one "poll until" of the test suites: calls `check` every `intervalMs` until it returns a
 * value other than undefined, and fails after `ms` naming what it waited for. Tests wait for the
 * event they need this way instead of sleeping a fixed time that a loaded CI machine can exceed.
 */
export async function eventually<T>(check: () => T | undefined | Promise<T | undefined>, ms: number, what: string, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

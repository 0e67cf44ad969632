/**
 * `npm start`: code-server with OTA Workbench loaded from source on a copy of the sample firmware
 * workspace. Prints the URL to open; Ctrl-C stops everything it started.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { ensureCodeServer, repoRoot, startCodeServer } from './codeServer';
import { freePort } from './processes';

async function main(): Promise<void> {
  await ensureCodeServer();
  const demo = path.join(repoRoot, '.cache', 'demo-workspace');
  // A copy, so demo edits never touch the test fixture; kept between runs so your edits stay.
  await fs.cp(path.join(repoRoot, 'test', 'fixtures', 'workspace'), demo, { recursive: true, force: false, errorOnExist: false });
  const port = Number(process.env.OTA_PORT ?? 0) || (await freePort());
  const server = await startCodeServer({ workspace: demo, port });
  const url = server.url({ extensionDevelopmentPath: repoRoot });
  process.stdout.write(
    `\nOTA Workbench is running in VS Code (code-server) on 127.0.0.1 only.\n` +
      `Open this URL in a browser:\n\n  ${url}\n\n` +
      `Workspace: ${demo}\nPress Ctrl-C to stop.\n`,
  );
  const stop = () => {
    process.stdout.write('\nstopping…\n');
    void server.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`npm start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

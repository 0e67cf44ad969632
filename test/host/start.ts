/**
 * `npm start`: code-server with OTA Workbench loaded from source on a copy of the sample firmware
 * workspace, where "OTA: Run Demo" starts by itself. Prints the URL to open; Ctrl-C stops
 * everything it started.
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { ensureCodeServer, repoRoot, startCodeServer } from './codeServer';
import { prepareDemoWorkspace } from './demoWorkspace';
import { freePort } from './processes';

async function main(): Promise<void> {
  await ensureCodeServer();
  const demo = path.join(repoRoot, '.cache', 'demo-workspace');
  // A copy, so demo edits never touch the test fixture; kept between runs so your edits stay.
  const notes = await prepareDemoWorkspace(demo, { autoStart: process.env.OTA_DEMO_AUTOSTART !== '0' });
  const port = Number(process.env.OTA_PORT ?? 0) || (await freePort());
  // code-server's own login: the session is a full VS Code (terminal included) as this user.
  const password = process.env.OTA_START_PASSWORD ?? randomBytes(12).toString('base64url');
  const server = await startCodeServer({ workspace: demo, port, password });
  const url = server.url({ extensionDevelopmentPath: repoRoot });
  process.stdout.write(
    `\nOTA Workbench is running in VS Code (code-server) on 127.0.0.1 only.\n` +
      `Open this URL in a browser:\n\n  ${url}\n\nand log in with the password: ${password}\n\n` +
      `Workspace: ${demo}\n${notes.map((n) => `  - ${n}\n`).join('')}` +
      `The demo (simulated devices updating live) starts when the page opens; OTA_DEMO_AUTOSTART=0 turns that off.\n` +
      `Press Ctrl-C to stop.\n`,
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

import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, killGroup, run, waitFor } from './processes';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');
export const codeServerVersion = process.env.CODE_SERVER_VERSION ?? '4.100.3';
const cacheDir = path.join(process.env.OTA_CACHE_DIR ?? path.join(repoRoot, '.cache'), `code-server-${codeServerVersion}`);
const entry = path.join(cacheDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

/** Installs code-server into the git-ignored cache once (offline-safe, see the script). */
export async function ensureCodeServer(): Promise<void> {
  await run('bash', [path.join(repoRoot, 'scripts', 'install-code-server.sh')]);
}

export interface CodeServer {
  readonly port: number;
  readonly baseUrl: string;
  readonly workspace: string;
  /** The throw-away profile: settings, and the logs of the server and its extension hosts. */
  readonly userDataDir: string;
  /** What code-server printed (its extension hosts' stderr included), all of it since it started. */
  output(): string;
  /** The workbench URL, optionally loading our extension from source and running test suites. */
  url(options?: { extensionDevelopmentPath?: string; extensionTestsPath?: string }): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** A folder to copy into a temp dir and open (the original is never modified). */
  workspaceTemplate?: string;
  /**
   * Open this folder as it is (for `npm start`), or this `.code-workspace` file: a multi-root
   * workspace, whose folders are the ones the file lists.
   */
  workspace?: string;
  port?: number;
  /** Echo code-server's own output (for `npm start`); otherwise keep it for error reports. */
  verbose?: boolean;
  /**
   * Ask for this password at the login page (for `npm start`, which a person keeps running: other
   * local users must not get a VS Code with a terminal as you). Tests' throw-away servers use none.
   */
  password?: string;
  /** .vsix files to install into the throw-away profile first, as a user would (`--install-extension`). */
  installExtensions?: string[];
}

/** Starts code-server on 127.0.0.1 with a throw-away profile: no trust prompt, telemetry or welcome page. */
export async function startCodeServer(options: StartOptions): Promise<CodeServer> {
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'ota-vscode-'));
  const userData = path.join(scratch, 'user-data');
  const extensions = path.join(scratch, 'extensions');
  await fs.mkdir(path.join(userData, 'User'), { recursive: true });
  await fs.mkdir(extensions);
  await fs.writeFile(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify(
      {
        'security.workspace.trust.enabled': false,
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'telemetry.telemetryLevel': 'off',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'update.mode': 'none',
        'window.commandCenter': false,
        'chat.commandCenter.enabled': false,
        // VS Code for the web saves edits after a delay by default: tests that edit a file and then
        // revert it would find their edit saved whenever a step takes longer than that delay.
        'files.autoSave': 'off',
        // The demo workspace (npm start) sits inside this repository: VS Code's git would ask whether
        // to open the parent repository, in a prompt covering the demo.
        'git.openRepositoryInParentFolders': 'never',
        // The embedded OTA server and the simulated devices listen on 127.0.0.1 ports: code-server would
        // offer each one for forwarding in a toast ("Your application running on port … is available").
        'remote.autoForwardPorts': false,
      },
      null,
      2,
    ),
  );
  let workspace = options.workspace;
  if (!workspace) {
    workspace = path.join(scratch, 'workspace');
    if (options.workspaceTemplate) await fs.cp(options.workspaceTemplate, workspace, { recursive: true });
    else await fs.mkdir(workspace);
  }
  for (const vsix of options.installExtensions ?? []) {
    await run(process.execPath, [entry, '--user-data-dir', userData, '--extensions-dir', extensions, '--install-extension', vsix]);
  }
  const port = options.port ?? (await freePort());
  const args = [
    entry,
    '--auth', options.password ? 'password' : 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', userData,
    '--extensions-dir', extensions,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    workspace,
  ];
  const output: string[] = [];
  const child: ChildProcess = spawn(process.execPath, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, VSCODE_PROXY_URI: '', ...(options.password ? { PASSWORD: options.password } : {}) },
  });
  const keep = (chunk: Buffer) => {
    if (options.verbose) process.stderr.write(chunk);
    output.push(chunk.toString());
    // Bounded for a workbench a person keeps running (npm start); tests stay far below it.
    while (output.length > 1 && output.reduce((n, o) => n + o.length, 0) > 4 * 1024 * 1024) output.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await killGroup(child);
    await fs.rm(scratch, { recursive: true, force: true });
  };
  try {
    await waitFor(`code-server on ${baseUrl}`, 60_000, async () => {
      if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}:\n${output.join('')}`);
      const res = await fetch(`${baseUrl}/healthz`);
      return res.ok;
    });
  } catch (err) {
    await stop();
    throw err;
  }
  const remote = (p: string) => `vscode-remote://127.0.0.1:${port}${path.resolve(p)}`;
  return {
    port,
    baseUrl,
    workspace,
    userDataDir: userData,
    output: () => output.join(''),
    url: ({ extensionDevelopmentPath, extensionTestsPath } = {}) => {
      // The workbench opens a folder from `?folder=` and a multi-root workspace file from `?workspace=`.
      const query = new URLSearchParams(workspace.endsWith('.code-workspace') ? { workspace } : { folder: workspace });
      const payload: [string, string][] = [];
      if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
      if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
      if (payload.length) query.set('payload', JSON.stringify(payload));
      return `${baseUrl}/?${query.toString()}`;
    },
    stop,
  };
}

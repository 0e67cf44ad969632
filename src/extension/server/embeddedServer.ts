import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { loadWorkspaceConfig } from '../../core/config/loader';
import type { LocalServer, Timeouts } from '../../core/config/model';
import { OtaError } from '../../core/errors';
import { startServer, type RunningServer } from '../../server/startServer';
import type { ExtensionServices } from '../context';
import { isLoopback } from '../../core/net/loopback';

export interface EmbeddedServerInfo {
  url: string;
  port: number;
  dataDir: string;
}

/**
 * The local OTA server running inside the extension host, configured from the workspace's
 * default local server (host, port, timeouts). Its data lives in the workspace storage, its
 * management token in Secret Storage. Its status bar item is ServerStatusBar's.
 */
export class EmbeddedServer implements vscode.Disposable {
  private running: RunningServer | undefined;
  private starting: Promise<RunningServer> | undefined;
  private readonly changed = new vscode.EventEmitter<RunningServer | undefined>();
  /** Fires with the server when it started, with undefined when it stopped (the live view follows it). */
  readonly onDidChange = this.changed.event;

  constructor(private readonly services: Pick<ExtensionServices, 'context' | 'log' | 'tree' | 'secrets'>) {}

  get current(): RunningServer | undefined {
    return this.running;
  }

  /** Releases, the journal and TLS material: in this workspace's storage, never in the repo. */
  get dataDir(): string {
    const storage = this.services.context.storageUri ?? this.services.context.globalStorageUri;
    return vscode.Uri.joinPath(storage, 'server').fsPath;
  }

  /**
   * Starts the local server a config names: `from`'s (a server row of that folder), else the first
   * folder's default local server. In a multi-root workspace each folder may name its own port.
   */
  async start(from?: ServerChoice): Promise<RunningServer> {
    if (this.running) return this.running;
    this.starting ??= this.launch(from).finally(() => (this.starting = undefined));
    return this.starting;
  }

  async stop(): Promise<boolean> {
    const server = this.running ?? (await this.starting?.catch(() => undefined));
    if (!server) return false;
    this.running = undefined;
    await server.close(3000);
    this.services.log.info('OTA server stopped');
    this.changed.fire(undefined);
    return true;
  }

  dispose(): void {
    void this.stop().finally(() => this.changed.dispose());
  }

  private async launch(from: ServerChoice | undefined): Promise<RunningServer> {
    const { log, secrets } = this.services;
    const settings = await workspaceServerSettings(from);
    const dataDir = this.dataDir;
    let token = await secrets.get('local-server-token');
    if (!token) {
      token = randomBytes(24).toString('base64url');
      await secrets.store('local-server-token', token);
    }
    // Devices that can reach the server over the network must prove they are ours: the device
    // token (hawkBit's gateway token) is on whenever it listens beyond loopback.
    const deviceToken = isLoopback(settings.host) ? undefined : await this.deviceToken();
    const launchOn = (port: number) =>
      startServer({
        dataDir,
        host: settings.host,
        port,
        token,
        ...(deviceToken ? { deviceToken } : {}),
        tls: settings.tls !== undefined,
        ...(settings.tls ? { certificate: settings.tls } : {}),
        log,
        settings: {
          offlineTimeoutMs: settings.timeouts.offlineSeconds * 1000,
          ...(settings.timeouts.installSeconds !== undefined ? { installTimeoutMs: settings.timeouts.installSeconds * 1000 } : {}),
          minBandwidthBps: settings.timeouts.minBandwidthKbps * 1000,
          pollingSleepSec: settings.timeouts.pollIntervalSeconds,
        },
      });
    const server = await launchOn(settings.port).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EADDRINUSE') throw err;
      // No config names a port (a demo with no folder, a workspace without ota.json): any free one will do.
      if (!settings.portFromConfig) {
        log.info(`OTA server: port ${settings.port} is in use, taking a free one`);
        return launchOn(0);
      }
      throw new OtaError(`cannot start the OTA server: port ${settings.port} on ${settings.host} is in use`, {
        hint: 'stop the other program, or set another "port" for the local server in .vscode/ota.local.json',
        cause: err,
      });
    });
    if (!isLoopback(settings.host)) {
      void vscode.window.showWarningMessage(
        vscode.l10n.t('The OTA server listens on {0}: devices on your network can reach it. They must send its device token (run "OTA: Copy Device Token").', settings.host),
      );
    }
    this.running = server;
    log.info(`OTA server on ${server.url} (data in ${dataDir})`);
    this.changed.fire(server);
    return server;
  }

  /** The shared device token of the embedded server, made once and kept in Secret Storage. */
  async deviceToken(): Promise<string> {
    const { secrets } = this.services;
    let token = await secrets.get('local-device-token');
    if (!token) {
      token = randomBytes(24).toString('base64url');
      await secrets.store('local-device-token', token);
    }
    return token;
  }
}

interface EmbeddedSettings {
  host: string;
  port: number;
  /** The PEM certificate and key read from the paths in the config. */
  tls: { certPem: string; keyPem: string } | undefined;
  timeouts: Timeouts;
  /** Whether a workspace config chose the port (then a busy port is an error, not a reason to move). */
  portFromConfig: boolean;
}

const defaults: EmbeddedSettings = {
  host: '127.0.0.1',
  port: 8080,
  tls: undefined,
  timeouts: { offlineSeconds: 60, minBandwidthKbps: 20, pollIntervalSeconds: 10 },
  portFromConfig: false,
};

/** A local server of one folder's config: a server row's target. */
export interface ServerChoice {
  folder: string;
  /** The server's name in that config; its default (or first) local server when not given. */
  server?: string;
}

/** `from`'s local server, else the first workspace folder's default local server (or its first local one), else the defaults. */
async function workspaceServerSettings(from?: ServerChoice): Promise<EmbeddedSettings> {
  const folders = from ? [from.folder] : (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  for (const folder of folders) {
    const loaded = await loadWorkspaceConfig(folder).catch(() => undefined);
    const config = loaded?.config;
    if (!config) continue;
    const locals = config.servers.filter((s): s is LocalServer => s.type === 'local');
    const chosen = locals.find((s) => s.name === (from?.server ?? config.defaultServer)) ?? locals[0];
    return {
      host: chosen?.host ?? defaults.host,
      port: chosen?.port ?? defaults.port,
      tls: chosen?.tls && (await readCertificate({ cert: path.resolve(folder, chosen.tls.cert), key: path.resolve(folder, chosen.tls.key) })),
      timeouts: config.timeouts,
      portFromConfig: chosen?.port !== undefined,
    };
  }
  return defaults;
}

async function readCertificate(files: { cert: string; key: string }): Promise<{ certPem: string; keyPem: string }> {
  const read = (file: string, what: string) =>
    readFile(file, 'utf8').catch((err: unknown) => {
      throw new OtaError(`cannot read the local server's TLS ${what}: ${(err as Error).message}`, {
        where: file,
        hint: 'fix the "tls" paths of the local server in .vscode/ota.json (relative to the workspace folder)',
      });
    });
  return { certPem: await read(files.cert, 'certificate'), keyPem: await read(files.key, 'key') };
}

import * as vscode from 'vscode';
import type { LoadedConfig } from '../../core/config/loader';
import type { OtaConfig, Server } from '../../core/config/model';
import { OtaError } from '../../core/errors';
import type { PushProvider } from '../../providers/provider';
import type { LiveSource } from '../../../webview/protocol';
import type { Secrets } from '../secrets';
import { serverConnector } from '../serverConnector';
import type { EmbeddedServer } from '../server/embeddedServer';

/** The error code of "the workspace's server is the local one, and it is not running": a state the view can end with Start. */
export const localServerStopped = 'local-server-stopped';

/** A server with an event stream (ours): what the view shows (no token) and what it needs to connect. */
export interface StreamSource {
  mode: 'stream';
  source: LiveSource;
  token: string;
  ca?: string;
}

/** A server the view polls through its provider (hawkBit has no event stream). */
export interface PollSource {
  mode: 'poll';
  source: LiveSource;
  provider: PushProvider;
  intervalMs: number;
}

export type ResolvedSource = StreamSource | PollSource;

/** A server the live view can follow now: the running embedded one, or a remote one from the config. */
export interface LiveServerChoice {
  name: string;
  type: Server['type'];
  url: string;
}

/**
 * The servers "OTA: Open Live View" offers: the embedded server while it runs, and every remote
 * server in the config (ours elsewhere, hawkBit). A stopped local server has nothing to show.
 */
export function liveServerChoices(loaded: LoadedConfig | undefined, server: EmbeddedServer): LiveServerChoice[] {
  const running = server.current;
  const config = loaded?.config;
  const choices: LiveServerChoice[] = [];
  if (running) choices.push({ name: (config && defaultLocalName(config)) ?? 'local', type: 'local', url: running.url });
  for (const s of config?.servers ?? []) if (s.type !== 'local') choices.push({ name: s.name, type: s.type, url: s.url });
  return choices;
}

/**
 * Where the live view connects: the server named `chosen` (from the picker or a tree row), or
 * else the embedded server when it runs, or else the config's default server. Ours is followed
 * over its event stream with the token from Secret Storage (or the environment); hawkBit is
 * polled through its provider at the server's `pollIntervalSeconds`.
 */
export async function resolveLiveSource(loaded: LoadedConfig | undefined, server: EmbeddedServer, secrets: Secrets, chosen?: string): Promise<ResolvedSource> {
  const running = server.current;
  const config = loaded?.config;
  const named = chosen !== undefined ? config?.servers.find((s) => s.name === chosen) : undefined;
  if (chosen !== undefined && !named && !(running && chosen === 'local')) {
    throw new OtaError(vscode.l10n.t('the workspace config has no server named "{0}"', chosen), {
      hint: vscode.l10n.t('open the live view again and pick one of the configured servers'),
    });
  }
  if (running && (!named || named.type === 'local')) {
    const name = named?.name ?? (config ? defaultServerOf(config)?.name ?? 'local' : 'local');
    return { mode: 'stream', source: { kind: 'embedded', name, url: running.url }, token: running.token, ...(running.caCertPem ? { ca: running.caCertPem } : {}) };
  }
  if (!config || !loaded) {
    throw new OtaError(vscode.l10n.t('the local OTA server is not running and the workspace has no OTA config naming another one'), {
      hint: vscode.l10n.t('run "OTA: Start Local Server" (or "OTA: Run Demo"), or add a server to .vscode/ota.json'),
      code: localServerStopped,
    });
  }
  const target = named ?? defaultServerOf(config);
  if (!target || target.type === 'local') {
    throw new OtaError(target ? vscode.l10n.t('the local OTA server "{0}" is not running', target.name) : vscode.l10n.t('the local OTA server is not running'), {
      hint: vscode.l10n.t('run "OTA: Start Local Server" (or "OTA: Run Demo"); an open live view connects as soon as it runs'),
      code: localServerStopped,
    });
  }
  if (target.type === 'hawkbit') {
    const provider = await serverConnector(secrets)({ ...loaded, config }, target);
    return { mode: 'poll', source: { kind: 'remote', name: target.name, url: target.url }, provider, intervalMs: target.pollIntervalSeconds * 1000 };
  }
  const token = await secrets.resolve(target.token, `servers.${target.name}.token`);
  return { mode: 'stream', source: { kind: 'remote', name: target.name, url: target.url }, token };
}

function defaultServerOf(config: OtaConfig): Server | undefined {
  return config.servers.find((s) => s.name === config.defaultServer) ?? config.servers[0];
}

function defaultLocalName(config: OtaConfig): string | undefined {
  const local = config.servers.filter((s) => s.type === 'local');
  return (local.find((s) => s.name === config.defaultServer) ?? local[0])?.name;
}

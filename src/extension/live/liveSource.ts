import type { LoadedConfig } from '../../core/config/loader';
import type { OtaConfig } from '../../core/config/model';
import { OtaError } from '../../core/errors';
import type { LiveSource } from '../../../webview/protocol';
import type { Secrets } from '../secrets';
import type { EmbeddedServer } from '../server/embeddedServer';

/** The error code of "the workspace's server is the local one, and it is not running": a state the view can end with Start. */
export const localServerStopped = 'local-server-stopped';

/** Where the live view connects: what it shows (no token) and what it needs to connect. */
export interface ResolvedSource {
  source: LiveSource;
  token: string;
  ca?: string;
}

/**
 * The server the workspace uses: the embedded one when it runs; otherwise the config's default
 * server through its management API, with the token from Secret Storage (or the environment).
 */
export async function resolveLiveSource(loaded: LoadedConfig | undefined, server: EmbeddedServer, secrets: Secrets): Promise<ResolvedSource> {
  const running = server.current;
  const config = loaded?.config;
  if (running) {
    const name = config ? defaultServerOf(config)?.name ?? 'local' : 'local';
    return { source: { kind: 'embedded', name, url: running.url }, token: running.token, ...(running.caCertPem ? { ca: running.caCertPem } : {}) };
  }
  if (!config) {
    throw new OtaError('the local OTA server is not running and the workspace has no OTA config naming another one', {
      hint: 'run "OTA: Start Local Server" (or "OTA: Run Demo"), or add a server to .vscode/ota.json',
      code: localServerStopped,
    });
  }
  const chosen = defaultServerOf(config);
  if (!chosen || chosen.type === 'local') {
    throw new OtaError(`the local OTA server${chosen ? ` "${chosen.name}"` : ''} is not running`, {
      hint: 'run "OTA: Start Local Server" (or "OTA: Run Demo"); an open live view connects as soon as it runs',
      code: localServerStopped,
    });
  }
  if (chosen.type === 'hawkbit') {
    throw new OtaError(`server "${chosen.name}" is an Eclipse hawkBit server, which has no live event stream`, {
      hint: 'set "defaultServer" to a local or ota-workbench server in .vscode/ota.local.json to watch updates live',
    });
  }
  const token = await secrets.resolve(chosen.token, `servers.${chosen.name}.token`);
  return { source: { kind: 'remote', name: chosen.name, url: chosen.url }, token };
}

function defaultServerOf(config: OtaConfig): OtaConfig['servers'][number] | undefined {
  return config.servers.find((s) => s.name === config.defaultServer) ?? config.servers[0];
}

import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ParsedArgs } from './args';
import { stringFlag } from './args';
import type { CliContext } from './command';
import { defaultTokenEnv, tokenFromEnv } from './serverFlags';
import type { UsableConfig } from './workspaceChannel';
import { OtaError } from '../core/errors';
import { loadWorkspaceConfig } from '../core/config/loader';
import type { Server } from '../core/config/model';
import { resolveSecretFromEnv } from '../core/config/resolveEnv';
import { providerForServer } from '../providers/fromConfig';
import { OtaProvider } from '../providers/ota/otaProvider';
import type { PushProvider } from '../providers/provider';

/** A provider and, for a named server, the workspace it came from (channels, products, poll interval). */
export interface ResolvedServer {
  provider: PushProvider;
  workspace?: UsableConfig;
  /** How often to poll for `ota watch` on servers without an event stream, ms. */
  pollMs: number;
  server?: Server;
}

/**
 * `--server` is either a URL (our server; `--token-env`, `--ca` as before, for scripts) or the name
 * of a `servers[]` entry in the workspace's `.vscode/ota.json` (`--folder`, default the current
 * directory), whose URL, credential reference and CA are used. Without `--server`, the config's
 * `defaultServer`, then OTA_SERVER_URL.
 */
export async function providerFromFlags(ctx: CliContext, parsed: ParsedArgs): Promise<ResolvedServer> {
  const given = stringFlag(parsed, 'server');
  if (given && /^[a-z][a-z0-9+.-]*:\/\//i.test(given)) return { provider: await urlProvider(ctx, parsed, given), pollMs: 2000 };
  const workspace = await optionalWorkspace(ctx, parsed);
  const name = given ?? workspace?.config.defaultServer;
  if (!name) {
    const url = ctx.env.OTA_SERVER_URL;
    if (url) return { provider: await urlProvider(ctx, parsed, url), pollMs: 2000, ...(workspace ? { workspace } : {}) };
    throw new OtaError('no server given', { code: 'usage', hint: 'pass --server NAME (a servers[] entry of .vscode/ota.json) or --server URL (or set OTA_SERVER_URL)' });
  }
  if (!workspace) {
    throw new OtaError(`--server ${name} names a server, but there is no .vscode/ota.json here`, { code: 'usage', hint: 'run in the workspace folder (or pass --folder DIR), or pass --server URL' });
  }
  const server = workspace.config.servers.find((s) => s.name === name);
  if (!server) {
    throw new OtaError(`no server named ${name} in the workspace config`, { where: workspace.sharedFile, code: 'usage', hint: `servers: ${workspace.config.servers.map((s) => `${s.name} (${s.type})`).join(', ') || '(none)'}` });
  }
  return { provider: await serverProvider(ctx, workspace, server), workspace, server, pollMs: server.type === 'hawkbit' ? server.pollIntervalSeconds * 1000 : 2000 };
}

function serverProvider(ctx: CliContext, workspace: UsableConfig, server: Server): Promise<PushProvider> {
  return providerForServer(workspace.config, workspace.folder, server, {
    secret: (ref, field) => Promise.resolve(resolveSecretFromEnv(ref, ctx.env, field)),
    localToken: () => {
      const token = ctx.env[defaultTokenEnv];
      if (!token) throw new OtaError(`environment variable ${defaultTokenEnv} is not set`, { code: 'usage', hint: `put the local server's management token in ${defaultTokenEnv} (ota serve prints where its token file is)` });
      return Promise.resolve(token);
    },
    readCa,
  });
}

async function urlProvider(ctx: CliContext, parsed: ParsedArgs, url: string): Promise<PushProvider> {
  const token = tokenFromEnv(ctx, parsed);
  const caFile = stringFlag(parsed, 'ca');
  return new OtaProvider(url, url, token, caFile ? { ca: await readCa(resolve(ctx.cwd, caFile)) } : {});
}

async function optionalWorkspace(ctx: CliContext, parsed: ParsedArgs): Promise<UsableConfig | undefined> {
  const folder = resolve(ctx.cwd, stringFlag(parsed, 'folder') ?? '.');
  let loaded;
  try {
    loaded = await loadWorkspaceConfig(folder);
  } catch (err) {
    // No .vscode/ota.json here: fine for --server URL; a broken one is reported.
    if (err instanceof OtaError && /no OTA config/.test(err.message)) return undefined;
    throw err;
  }
  if (!loaded.config) {
    const first = loaded.diagnostics.find((d) => d.severity === 'error');
    throw new OtaError(`the workspace config has errors${first ? `: ${first.message}` : ''}`, { where: first?.file ?? loaded.sharedFile, hint: 'run `ota config validate` to see them all' });
  }
  return loaded as UsableConfig;
}

async function readCa(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new OtaError(`cannot read the CA certificate (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { where: path, hint: 'point "ca" (or --ca) at the PEM file, e.g. the ca.pem that `ota ca` wrote' });
  }
}

import type { OtaConfig, SecretRef, Server } from '../core/config/model';
import { resolveInFolder } from '../core/config/paths';
import { HawkbitProvider } from './hawkbit/hawkbitProvider';
import { OtaProvider } from './ota/otaProvider';
import type { PushProvider } from './provider';

/** What differs between the CLI (environment variables) and the editor (SecretStorage). */
export interface ProviderEnvironment {
  /** The value of a credential reference; `field` names the config field for messages. */
  secret(ref: SecretRef, field: string): Promise<string>;
  /** The local server's management token. */
  localToken(): Promise<string>;
  readCa(path: string): Promise<string>;
}

/** A provider for a `servers[]` entry of the workspace config (folder = the workspace folder). */
export async function providerForServer(config: OtaConfig, folder: string, server: Server, env: ProviderEnvironment): Promise<PushProvider> {
  const field = `servers[${config.servers.indexOf(server)}] (${server.name})`;
  const ca = async (file: string | undefined) => (file ? { ca: await env.readCa(resolveInFolder(folder, file)) } : {});
  switch (server.type) {
    case 'local': {
      const host = server.host === '0.0.0.0' ? '127.0.0.1' : server.host === '::' ? '::1' : server.host;
      const url = `${server.tls ? 'https' : 'http'}://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${server.port}`;
      return new OtaProvider(server.name, url, (await env.localToken()).trim(), await ca(server.tls?.cert));
    }
    case 'ota-workbench':
      return new OtaProvider(server.name, server.url, (await env.secret(server.token, `${field}.token`)).trim(), await ca(server.ca));
    case 'hawkbit':
      return new HawkbitProvider(
        {
          name: server.name,
          url: server.url,
          ...(server.username ? { username: server.username } : {}),
          credential: await env.secret(server.credential, `${field}.credential`),
          credentialRef: server.credential.text,
          ...(await ca(server.ca)),
        },
        { softwareModuleType: server.softwareModuleType, distributionSetType: server.distributionSetType, products: config.products.map((p) => ({ pid: p.pid, keys: [...p.firmwareKeys] })) },
      );
  }
}

import { readFile } from 'node:fs/promises';
import { OtaError } from '../core/errors';
import { providerForServer } from '../providers/fromConfig';
import type { Secrets } from './secrets';
import type { EventEndpoint, ServerConnector } from './workspaceTree';
import { resolveInFolder } from '../core/config/paths';

/** Providers for configured servers, with credentials from SecretStorage (or the environment for `${env:…}`). */
export function serverConnector(secrets: Secrets): ServerConnector {
  return (loaded, server) =>
    providerForServer(loaded.config, loaded.folder, server, {
      secret: (ref, field) => secrets.resolve(ref, field),
      localToken: async () => {
        const token = await secrets.get('local-server-token');
        if (!token) throw new OtaError('the local server has no token yet', { hint: 'start it with "OTA: Start Local Server"' });
        return token;
      },
      readCa: async (path) => {
        try {
          return await readFile(path, 'utf8');
        } catch (err) {
          throw new OtaError(`cannot read the CA certificate (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { where: path, hint: 'point "ca" at the PEM file, e.g. the ca.pem that `ota ca` wrote' });
        }
      },
    });
}

/** Our remote server's event stream: its URL, the token from SecretStorage (or env), its CA. */
export function serverEventEndpoint(secrets: Secrets): EventEndpoint {
  return async (loaded, server) => {
    if (server.type !== 'ota-workbench') throw new OtaError(`server ${server.name} has no event stream`);
    const token = (await secrets.resolve(server.token, `servers (${server.name}).token`)).trim();
    const ca = server.ca ? await readFile(resolveInFolder(loaded.folder, server.ca), 'utf8') : undefined;
    return { url: server.url, token, ...(ca ? { ca } : {}) };
  };
}

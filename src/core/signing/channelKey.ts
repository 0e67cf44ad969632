import { relative, isAbsolute } from 'node:path';
import type { Channel } from '../config/model';
import type { Logger } from '../logger';
import { resolveInFolder } from '../config/paths';
import { resolveSecretFromEnv } from '../config/resolveEnv';
import { readKeySource } from './keySource';
import { loadSigningKey } from './loadKey';
import type { SigningKey } from './loadKey';

/**
 * The channel's configured signing key, outside VS Code: a PEM path relative to the workspace, or
 * `${secret:NAME}` / `${env:NAME}` read from the environment. Undefined when the channel has none.
 */
export async function loadChannelSigningKey(channel: Channel, folder: string, env: NodeJS.ProcessEnv, passphrase?: string, log?: Logger): Promise<SigningKey | undefined> {
  const signing = channel.signing;
  if (!signing) return undefined;
  if (signing.keyRef) {
    const pem = resolveSecretFromEnv(signing.keyRef, env, `channel ${channel.name} signing.key`);
    return loadSigningKey({ label: signing.keyRef.text, pem }, passphrase);
  }
  const path = resolveInFolder(folder, signing.key);
  const inside = relative(folder, path);
  if (!inside.startsWith('..') && !isAbsolute(inside)) {
    log?.warn(`channel ${channel.name} signs with ${signing.key}, a private key inside the workspace: a committed key is a published key; move it out and use \${secret:NAME} or a path outside the repository`);
  }
  return loadSigningKey(await readKeySource(path, env, folder), passphrase);
}

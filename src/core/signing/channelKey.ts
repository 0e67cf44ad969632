import type { Channel } from '../config/model';
import { resolveInFolder } from '../config/paths';
import { resolveSecretFromEnv } from '../config/resolveEnv';
import { readKeySource } from './keySource';
import { loadSigningKey } from './loadKey';
import type { SigningKey } from './loadKey';

/**
 * The channel's configured signing key, outside VS Code: a PEM path relative to the workspace, or
 * `${secret:NAME}` / `${env:NAME}` read from the environment. Undefined when the channel has none.
 */
export async function loadChannelSigningKey(channel: Channel, folder: string, env: NodeJS.ProcessEnv, passphrase?: string): Promise<SigningKey | undefined> {
  const signing = channel.signing;
  if (!signing) return undefined;
  if (signing.keyRef) {
    const pem = resolveSecretFromEnv(signing.keyRef, env, `channel ${channel.name} signing.key`);
    return loadSigningKey({ label: signing.keyRef.text, pem }, passphrase);
  }
  return loadSigningKey(await readKeySource(resolveInFolder(folder, signing.key), env, folder), passphrase);
}

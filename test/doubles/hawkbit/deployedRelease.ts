import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HawkbitProvider } from '../../../src/providers/hawkbit/hawkbitProvider';
import type { PublishedRelease } from '../../../src/providers/provider';
import type { HawkbitDouble } from './hawkbitDouble';

export interface DeployedRelease {
  provider: HawkbitProvider;
  release: PublishedRelease;
}

/**
 * What `ota push --server cloud --deploy` leaves on a double: an image of `size` bytes written to
 * `dir`, published as release `label` of PID P, key K1, channel main (the config binds K1 to P) and
 * deployed (forced) to every target reporting that key and channel.
 */
export async function deployOnDouble(double: HawkbitDouble, dir: string, label: string, size: number): Promise<DeployedRelease> {
  const provider = new HawkbitProvider({ name: 'cloud', url: double.url, username: 'admin', credential: 'admin', credentialRef: '${env:HB}' }, { products: [{ pid: 'P', keys: ['K1'] }] });
  const file = join(dir, 'fw.bin');
  await writeFile(file, Buffer.alloc(size, 7));
  const release = await provider.publish({ file, pid: 'P', fwKey: 'K1', channel: 'main', label });
  await provider.deploy({ releaseId: release.id, pid: 'P', fwKey: 'K1', channel: 'main', type: 'forced' });
  return { provider, release };
}

import { OtaError } from '../errors';
import type { Logger } from '../logger';

/**
 * Key hashes of MCUboot's public test keys (root-*.pem in the MCUboot repository, the keys in
 * test/fixtures/mcuboot). Their private halves are published, so anything signed with them is
 * signed for everyone.
 */
export const knownTestKeys: Readonly<Record<string, string>> = {
  c1907fa4eac7fae3840a78902b6f0710b037e9968e5c6274a12a28790c7d4e3c: 'MCUboot test key root-ed25519.pem',
  fc5701dc6135e1323847bdc40f04d2e5bee5833b23c29f93593d00018cfa9994: 'MCUboot test key root-rsa-2048.pem',
  '449793fb65cd7698753d5b3f35fab15f1e3a45111ff24e1d46741de5ae12d59e': 'MCUboot test key root-rsa-3072.pem',
  e30466f6b8470c1f29070b17f1e2d3e94d445e3f608087fdc711e4382bb538b6: 'MCUboot test key root-ec-p256.pem',
};

export function testKeyName(keyId: string): string | undefined {
  return knownTestKeys[keyId];
}

/**
 * A production release signed with a published test key would be accepted by every device that
 * trusts that key, including attackers' images: refuse it. Anything else only gets the warning.
 */
export function guardTestKey(key: { keyId: string; label: string }, production: boolean, log: Logger): void {
  const name = testKeyName(key.keyId);
  if (!name) return;
  const message = `${key.label} is the ${name} (key ${key.keyId}); its private key is public`;
  if (production) {
    throw new OtaError(`refusing to sign a production release with a known public test key: ${message}`, {
      where: key.label,
      hint: 'Generate a real key (ota key generate --type ed25519 -o KEY.pem), keep it out of the workspace, build the bootloader with its public half, and sign with it.',
      code: 'key-test-key',
    });
  }
  log.warn(`!!! ${message}. Fine for a bench test; never ship images signed with it. !!!`);
}

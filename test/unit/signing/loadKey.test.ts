import * as assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OtaError } from '../../../src/core/errors';
import { readKeySource } from '../../../src/core/signing/keySource';
import { loadSigningKey, loadVerifyingKey } from '../../../src/core/signing/loadKey';
import { mcubootDir } from '../../helpers/fixtures';

function expectKeyError(fn: () => unknown, code: string): void {
  assert.throws(fn, (err: unknown) => err instanceof OtaError && err.code === code && err.where === 'k.pem' && Boolean(err.hint));
}

describe('signing keys', () => {
  it('reads the MCUboot test keys with their kinds and key hashes', () => {
    const expected: Record<string, [string, string]> = {
      'root-ed25519.pem': ['ed25519', 'c1907fa4eac7fae3840a78902b6f0710b037e9968e5c6274a12a28790c7d4e3c'],
      'root-rsa-2048.pem': ['rsa-2048', 'fc5701dc6135e1323847bdc40f04d2e5bee5833b23c29f93593d00018cfa9994'],
      'root-rsa-3072.pem': ['rsa-3072', '449793fb65cd7698753d5b3f35fab15f1e3a45111ff24e1d46741de5ae12d59e'],
      'root-ec-p256.pem': ['ecdsa-p256', 'e30466f6b8470c1f29070b17f1e2d3e94d445e3f608087fdc711e4382bb538b6'],
    };
    for (const [file, [kind, keyId]] of Object.entries(expected)) {
      const key = loadSigningKey({ label: file, pem: readFileSync(join(mcubootDir, file), 'utf8') });
      assert.equal(key.kind, kind);
      assert.equal(key.keyId, keyId);
    }
  });

  it('opens an encrypted key with its passphrase and refuses a wrong or missing one', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'right' }) as string;
    assert.equal(loadSigningKey({ label: 'k.pem', pem }, 'right').kind, 'ecdsa-p256');
    expectKeyError(() => loadSigningKey({ label: 'k.pem', pem }, 'wrong'), 'key-passphrase-wrong');
    expectKeyError(() => loadSigningKey({ label: 'k.pem', pem }), 'key-passphrase-missing');
  });

  it('refuses key types MCUboot cannot check, public keys for signing, and non-keys', () => {
    const rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    expectKeyError(() => loadSigningKey({ label: 'k.pem', pem: rsa1024 }), 'key-wrong-type');
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    expectKeyError(() => loadSigningKey({ label: 'k.pem', pem: p384 }), 'key-wrong-type');
    const pub = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }) as string;
    expectKeyError(() => loadSigningKey({ label: 'k.pem', pem: pub }), 'key-wrong-type');
    assert.equal(loadVerifyingKey({ label: 'k.pem', pem: pub }).kind, 'ed25519');
    expectKeyError(() => loadSigningKey({ label: 'k.pem', pem: 'hello' }), 'key-invalid');
  });

  it('takes a PEM from an environment variable and names a missing one', async () => {
    const pem = readFileSync(join(mcubootDir, 'root-ed25519.pem'), 'utf8');
    const source = await readKeySource('env:OTA_TEST_KEY', { OTA_TEST_KEY: pem }, '/');
    assert.equal(source.label, 'env:OTA_TEST_KEY');
    assert.equal(loadSigningKey(source).kind, 'ed25519');
    await assert.rejects(readKeySource('env:OTA_TEST_KEY', {}, '/'), (err: unknown) => err instanceof OtaError && err.code === 'key-missing');
    await assert.rejects(readKeySource('missing.pem', {}, '/tmp'), (err: unknown) => err instanceof OtaError && err.code === 'key-unreadable' && err.where === '/tmp/missing.pem');
  });
});

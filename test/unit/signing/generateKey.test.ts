import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSigningKey } from '../../../src/core/signing/generateKey';
import { keyKinds } from '../../../src/core/signing/keyKind';
import { loadSigningKey, loadVerifyingKey } from '../../../src/core/signing/loadKey';
import { parseMcubootImage } from '../../../src/core/image/mcubootImage';
import { parseMcubootVersion } from '../../../src/core/image/mcubootVersion';
import { signMcubootImage } from '../../../src/core/signing/mcubootSign';
import { verifyMcubootSignature } from '../../../src/core/signing/mcubootVerify';
import { mcubootDir } from '../../helpers/fixtures';
import { runCli } from '../../helpers/runCli';
import { scratchDir } from '../../helpers/scratchDir';

describe('key generation', () => {
  for (const kind of keyKinds) {
    it(`makes an encrypted ${kind} key that signs images which verify with its public half`, async () => {
      const generated = await generateSigningKey(kind, 'secret words');
      assert.match(generated.privatePem, /BEGIN ENCRYPTED PRIVATE KEY/);
      const key = loadSigningKey({ label: 'new.pem', pem: generated.privatePem }, 'secret words');
      assert.equal(key.kind, kind);
      assert.equal(key.keyId, generated.keyId);
      const out = join(scratchDir('ota-keygen-'), 'out.bin');
      await signMcubootImage({ input: join(mcubootDir, 'payload.bin'), output: out, key, version: parseMcubootVersion('1.0.0'), headerSize: 0x200, padHeader: true });
      const bytes = readFileSync(out);
      const check = verifyMcubootSignature(bytes, parseMcubootImage(bytes, 'out'), loadVerifyingKey({ label: 'pub.pem', pem: generated.publicPem }), 'out');
      assert.equal(check.ok, true, check.detail);
    });
  }

  it('writes a 0600 key file outside a repository and refuses one inside it or over an existing key', async () => {
    const home = scratchDir('ota-keys-');
    const path = join(home, 'fw.pem');
    const made = await runCli(['key', 'generate', '--type', 'ed25519', '-o', path, '--json']);
    assert.equal(made.code, 0, made.stderr);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    const shown = await runCli(['key', 'show', '-k', path, '--json']);
    assert.equal(JSON.parse(shown.stdout).keyId, JSON.parse(made.stdout).keyId);
    const again = await runCli(['key', 'generate', '--type', 'ed25519', '-o', path]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /refusing to overwrite/);
    const repo = join(home, 'repo');
    mkdirSync(join(repo, '.vscode'), { recursive: true });
    writeFileSync(join(repo, '.vscode', 'ota.json'), '{}');
    const inside = await runCli(['key', 'generate', '--type', 'ecdsa-p256', '-o', join(repo, 'keys', 'k.pem')]);
    assert.equal(inside.code, 1);
    assert.match(inside.stderr, /inside the workspace/);
  });
});

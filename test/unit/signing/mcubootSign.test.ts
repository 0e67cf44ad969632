import * as assert from 'node:assert/strict';
import { constants, createPrivateKey, generateKeyPairSync, verify } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OtaError } from '../../../src/core/errors';
import { silentLogger } from '../../../src/core/logger';
import { parseMcubootImage } from '../../../src/core/image/mcubootImage';
import { parseMcubootVersion } from '../../../src/core/image/mcubootVersion';
import { loadSigningKey, loadVerifyingKey } from '../../../src/core/signing/loadKey';
import { signMcubootImage } from '../../../src/core/signing/mcubootSign';
import { verifyMcubootSignature } from '../../../src/core/signing/mcubootVerify';
import { guardTestKey } from '../../../src/core/signing/testKeys';
import { mcubootDir } from '../../helpers/fixtures';
import { runCli } from '../../helpers/runCli';
import { scratchDir } from '../../helpers/scratchDir';

const payload = join(mcubootDir, 'payload.bin');
const fixtureArgs = { headerSize: 0x200, padHeader: true, slotSize: 0x60000, align: 4 };

function fixtureKey(name: string) {
  return loadSigningKey({ label: name, pem: readFileSync(join(mcubootDir, name), 'utf8') });
}

function tempDir(): string {
  return scratchDir('ota-sign-');
}

describe('MCUboot signing (imgtool 2.4 compatible)', () => {
  it('reproduces signed-ed25519-1.2.3+4.bin byte for byte from payload.bin', async () => {
    const out = join(tempDir(), 'out.bin');
    const result = await signMcubootImage({ input: payload, output: out, key: fixtureKey('root-ed25519.pem'), version: parseMcubootVersion('1.2.3+4'), ...fixtureArgs });
    assert.deepEqual(readFileSync(out), readFileSync(join(mcubootDir, 'signed-ed25519-1.2.3+4.bin')));
    assert.equal(result.file.size, 40656);
    assert.equal(result.keyId, 'c1907fa4eac7fae3840a78902b6f0710b037e9968e5c6274a12a28790c7d4e3c');
  });

  const padded = [
    { fixture: 'signed-ed25519-1.2.3+4-seccnt-confirmed.bin', options: { securityCounter: 'auto' as const, confirm: true, align: 4 }, counter: 0x01020003 },
    { fixture: 'signed-ed25519-1.2.3+4-seccnt0x1234-pad-align16.bin', options: { securityCounter: 0x1234, pad: true, align: 16 }, counter: 0x1234 },
  ];
  for (const row of padded) {
    it(`reproduces ${row.fixture} (security counter, slot padding, trailer) byte for byte`, async () => {
      const out = join(tempDir(), 'out.bin');
      await signMcubootImage({ input: payload, output: out, key: fixtureKey('root-ed25519.pem'), version: parseMcubootVersion('1.2.3+4'), ...fixtureArgs, slotSize: 0x10000, ...row.options });
      const mine = readFileSync(out);
      assert.deepEqual(mine, readFileSync(join(mcubootDir, row.fixture)));
      const image = parseMcubootImage(mine, 'mine');
      assert.equal(image.protectedTlvSize, 12);
      assert.equal(image.securityCounter, row.counter);
      const key = loadVerifyingKey({ label: 'root-ed25519.pem', pem: readFileSync(join(mcubootDir, 'root-ed25519.pem'), 'utf8') });
      assert.equal(verifyMcubootSignature(mine, image, key, 'mine').ok, true);
    });
  }

  it('signs the protected TLVs with RSA too, and a changed security counter breaks the signature', async () => {
    const out = join(tempDir(), 'out.bin');
    // A slot over 1 MiB, so the padding goes out in more than one piece.
    await signMcubootImage({ input: payload, output: out, key: fixtureKey('root-rsa-3072.pem'), version: parseMcubootVersion('2.0.1'), ...fixtureArgs, slotSize: 0x180000, securityCounter: 77, confirm: true });
    const mine = readFileSync(out);
    assert.equal(mine.length, 0x180000);
    const image = parseMcubootImage(mine, 'mine');
    assert.equal(image.securityCounter, 77);
    assert.deepEqual(image.slotTrailer, { maxAlign: 8, confirmed: true });
    const end = image.tlvAreaOffset + image.tlvAreaSize;
    assert.ok(mine.subarray(end, mine.length - 64).every((b) => b === 0xff), 'erased padding up to the trailer');
    const key = loadVerifyingKey({ label: 'root-rsa-3072.pem', pem: readFileSync(join(mcubootDir, 'root-rsa-3072.pem'), 'utf8') });
    assert.equal(verifyMcubootSignature(mine, image, key, 'mine').ok, true);
    const counter = image.tlvs.find((t) => t.name === 'SEC_CNT')!;
    mine.writeUInt32LE(78, counter.offset + 4);
    assert.equal(verifyMcubootSignature(mine, parseMcubootImage(mine, 'tampered'), key, 'tampered').ok, false);
  });

  it('refuses --pad without a slot size and a security counter that is not 32-bit, before writing anything', async () => {
    const dir = tempDir();
    const version = parseMcubootVersion('1.0.0');
    await assert.rejects(signMcubootImage({ input: payload, output: join(dir, 'a.bin'), version, headerSize: 0x200, padHeader: true, pad: true }), /no slot size was given/);
    await assert.rejects(signMcubootImage({ input: payload, output: join(dir, 'b.bin'), version, headerSize: 0x200, padHeader: true, confirm: true }), /--confirm pads the image/);
    await assert.rejects(signMcubootImage({ input: payload, output: join(dir, 'c.bin'), version, ...fixtureArgs, securityCounter: 2 ** 32 }), /not a 32-bit unsigned number/);
    await assert.rejects(signMcubootImage({ input: payload, output: join(dir, 'd.bin'), version, headerSize: 0x200, padHeader: true, slotSize: 0x9000, pad: true }), /exceeds the slot size/);
    assert.deepEqual(readdirSync(dir), []);
  });

  it('reproduces unsigned-0.9.0.bin byte for byte without a key', async () => {
    const out = join(tempDir(), 'out.bin');
    await signMcubootImage({ input: payload, output: out, version: parseMcubootVersion('0.9.0'), ...fixtureArgs });
    assert.deepEqual(readFileSync(out), readFileSync(join(mcubootDir, 'unsigned-0.9.0.bin')));
  });

  const randomized = [
    { key: 'root-rsa-2048.pem', fixture: 'signed-rsa2048-1.0.0.bin', version: '1.0.0' },
    { key: 'root-rsa-3072.pem', fixture: 'signed-rsa3072-2.0.1+7.bin', version: '2.0.1+7' },
    { key: 'root-ec-p256.pem', fixture: 'signed-ecp256-1.2.3.bin', version: '1.2.3' },
  ];
  for (const row of randomized) {
    it(`makes an image like ${row.fixture} that verifies the way the fixture does`, async () => {
      const out = join(tempDir(), 'out.bin');
      await signMcubootImage({ input: payload, output: out, key: fixtureKey(row.key), version: parseMcubootVersion(row.version), ...fixtureArgs });
      const mine = readFileSync(out);
      const theirs = readFileSync(join(mcubootDir, row.fixture));
      const mineImage = parseMcubootImage(mine, 'mine');
      const theirImage = parseMcubootImage(theirs, 'theirs');
      // Header, payload, SHA256 and KEYHASH are deterministic; only the signature bytes differ.
      assert.deepEqual(mine.subarray(0, 40512), theirs.subarray(0, 40512));
      assert.deepEqual(mineImage.tlvs.map((t) => t.name), theirImage.tlvs.map((t) => t.name));
      assert.equal(mineImage.sha256?.stored, theirImage.sha256?.stored);
      assert.equal(mineImage.keyHash, theirImage.keyHash);
      // ECDSA DER signatures are 70-72 bytes depending on the random r and s; the others are fixed.
      if (row.key.includes('ec')) assert.ok(Math.abs(mine.length - theirs.length) <= 2);
      else assert.equal(mine.length, theirs.length);
      const key = loadVerifyingKey({ label: row.key, pem: readFileSync(join(mcubootDir, row.key), 'utf8') });
      assert.equal(verifyMcubootSignature(mine, mineImage, key, 'mine').ok, true);
      // And independently of our verifier: Node's crypto with the parameters MCUboot uses.
      const sig = mine.subarray(mineImage.tlvs[2]!.offset + 4, mineImage.tlvs[2]!.offset + 4 + mineImage.tlvs[2]!.length);
      const signed = mine.subarray(0, 40512);
      const ok = row.key.includes('rsa')
        ? verify('sha256', signed, { key: key.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, sig)
        : verify('sha256', signed, { key: key.publicKey, dsaEncoding: 'der' }, sig);
      assert.equal(ok, true);
    });
  }

  it('uses a zeroed header area already in the input when --pad-header is off', async () => {
    const dir = tempDir();
    const input = join(dir, 'in.bin');
    writeFileSync(input, Buffer.concat([Buffer.alloc(0x200), readFileSync(payload)]));
    const out = join(dir, 'out.bin');
    await signMcubootImage({ input, output: out, key: fixtureKey('root-ed25519.pem'), version: parseMcubootVersion('1.2.3+4'), headerSize: 0x200, padHeader: false });
    const image = parseMcubootImage(readFileSync(out), 'out');
    assert.equal(image.imageSize, 40000);
    // The header area keeps the input's zeros (imgtool only pads with 0xff when it adds the area).
    assert.ok(readFileSync(out).subarray(32, 0x200).every((b) => b === 0));
  });

  it('refuses an input without room for the header and writes nothing', async () => {
    const dir = tempDir();
    const out = join(dir, 'out.bin');
    await assert.rejects(
      signMcubootImage({ input: payload, output: out, key: fixtureKey('root-ed25519.pem'), version: parseMcubootVersion('1.0.0'), headerSize: 0x200, padHeader: false }),
      (err: unknown) => err instanceof OtaError && err.code === 'image-header-not-empty' && /--pad-header/.test(err.hint ?? ''),
    );
    assert.deepEqual(readdirSync(dir), []);
  });

  it('refuses an image that leaves no room for the trailer in the slot, and writes nothing', async () => {
    const dir = tempDir();
    await assert.rejects(
      signMcubootImage({ input: payload, output: join(dir, 'out.bin'), key: fixtureKey('root-rsa-2048.pem'), version: parseMcubootVersion('1.0.0'), ...fixtureArgs, slotSize: 0x9ed0 + 0x100 }),
      (err: unknown) => err instanceof OtaError && err.code === 'image-too-large' && /trailer \(0x630\) exceeds the slot size/.test(err.message),
    );
    assert.deepEqual(readdirSync(dir), []);
  });

  it('says when the output directory does not exist', async () => {
    await assert.rejects(
      signMcubootImage({ input: payload, output: join(tempDir(), 'missing', 'out.bin'), key: fixtureKey('root-ed25519.pem'), version: parseMcubootVersion('1.0.0'), ...fixtureArgs }),
      (err: unknown) => err instanceof OtaError && err.code === 'output-unwritable' && /directory does not exist/.test(err.message) && /missing\/out\.bin$/.test(err.where ?? ''),
    );
  });

  it('leaves no file behind when cancelled', async () => {
    const dir = tempDir();
    const abort = new AbortController();
    abort.abort();
    await assert.rejects(
      signMcubootImage({ input: payload, output: join(dir, 'out.bin'), key: fixtureKey('root-ed25519.pem'), version: parseMcubootVersion('1.0.0'), ...fixtureArgs, signal: abort.signal }),
      (err: unknown) => err instanceof OtaError && err.code === 'cancelled',
    );
    assert.deepEqual(readdirSync(dir), []);
  });

  it('refuses a production release signed with a public test key, naming the file', () => {
    const key = fixtureKey('root-ec-p256.pem');
    assert.throws(() => guardTestKey(key, true, silentLogger), (err: unknown) => err instanceof OtaError && err.code === 'key-test-key' && err.where === 'root-ec-p256.pem');
    const warnings: string[] = [];
    guardTestKey(key, false, { ...silentLogger, warn: (m: string) => void warnings.push(m) });
    assert.match(warnings[0] ?? '', /root-ec-p256\.pem is the MCUboot test key/);
  });

  it('signs Intel HEX input to the same image as the binary', async () => {
    const dir = tempDir();
    const bin = readFileSync(payload);
    const lines = [':020000040800F2'];
    for (let offset = 0; offset < bin.length; offset += 16) {
      const data = [...bin.subarray(offset, offset + 16)];
      const body = [data.length, (offset >> 8) & 0xff, offset & 0xff, 0, ...data];
      const sum = (0x100 - (body.reduce((a, b) => a + b, 0) & 0xff)) & 0xff;
      lines.push(':' + Buffer.from([...body, sum]).toString('hex').toUpperCase());
    }
    lines.push(':00000001FF');
    const hexPath = join(dir, 'payload.hex');
    writeFileSync(hexPath, lines.join('\n'));
    const out = join(dir, 'out.bin');
    await signMcubootImage({ input: hexPath, output: out, key: fixtureKey('root-ed25519.pem'), version: parseMcubootVersion('1.2.3+4'), ...fixtureArgs });
    assert.deepEqual(readFileSync(out), readFileSync(join(mcubootDir, 'signed-ed25519-1.2.3+4.bin')));
  });

  it('gives one clear error and no output for a wrong passphrase, a wrong-type key and an unreadable input', async () => {
    const dir = tempDir();
    const encrypted = join(dir, 'enc.pem');
    writeFileSync(encrypted, createPrivateKey(readFileSync(join(mcubootDir, 'root-ec-p256.pem'))).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'right' }));
    const out = join(dir, 'out.bin');
    const base = ['sign', payload, '--version', '1.0.0', '--header-size', '0x200', '--pad-header', '-o', out];
    const wrong = await runCli([...base, '-k', encrypted], { env: { ...process.env, OTA_KEY_PASSPHRASE: 'wrong' } });
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /enc\.pem: wrong passphrase/);
    const missing = await runCli([...base, '-k', encrypted], { env: { ...process.env, OTA_KEY_PASSPHRASE: '' } });
    assert.equal(missing.code, 1);
    const rsa1024 = join(dir, 'rsa1024.pem');
    writeFileSync(rsa1024, generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const wrongType = await runCli([...base, '-k', rsa1024]);
    assert.equal(wrongType.code, 1);
    assert.match(wrongType.stderr, /unsupported key type rsa-1024/);
    const unreadable = await runCli(['sign', join(dir, 'nope.bin'), '--version', '1.0.0', '-o', out]);
    assert.equal(unreadable.code, 1);
    assert.match(unreadable.stderr, /nope\.bin: cannot read firmware file: no such file/);
    assert.deepEqual(readdirSync(dir).sort(), ['enc.pem', 'rsa1024.pem']);
  });

  it('works from the command line with the imgtool flags, and refuses --production with a test key', async () => {
    const dir = tempDir();
    const out = join(dir, 'out.bin');
    const common = [payload, '-k', join(mcubootDir, 'root-ed25519.pem'), '--version', '1.2.3+4', '--header-size', '0x200', '--pad-header', '--slot-size', '0x60000', '--align', '4', '-o', out];
    const run = await runCli(['sign', ...common]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /test key/);
    assert.deepEqual(readFileSync(out), readFileSync(join(mcubootDir, 'signed-ed25519-1.2.3+4.bin')));
    const prodOut = join(dir, 'prod.bin');
    const refused = await runCli(['sign', ...common.slice(0, -1), prodOut, '--production']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /refusing to sign a production release with a known public test key/);
    assert.equal(existsSync(prodOut), false);
  });

  it('takes --security-counter, --pad and --confirm as imgtool does, and names a bad counter', async () => {
    const dir = tempDir();
    const out = join(dir, 'out.bin');
    const args = ['sign', payload, '-k', join(mcubootDir, 'root-ed25519.pem'), '--version', '1.2.3+4', '--header-size', '0x200', '--pad-header', '--slot-size', '0x10000', '--align', '4'];
    const run = await runCli([...args, '--security-counter', 'auto', '--confirm', '-o', out]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(readFileSync(out), readFileSync(join(mcubootDir, 'signed-ed25519-1.2.3+4-seccnt-confirmed.bin')));
    const bad = await runCli([...args, '--security-counter', '12abc', '-o', join(dir, 'bad.bin')]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--security-counter 12abc is not a number/);
    assert.equal(existsSync(join(dir, 'bad.bin')), false);
  });
});

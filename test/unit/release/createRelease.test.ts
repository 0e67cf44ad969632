import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OtaError } from '../../../src/core/errors';
import { silentLogger } from '../../../src/core/logger';
import { runBuild } from '../../../src/core/build/runBuild';
import { requireWorkspaceConfig } from '../../../src/core/config/loader';
import { createRelease } from '../../../src/core/release/createRelease';
import type { CreateReleaseOptions } from '../../../src/core/release/createRelease';
import { readManifest } from '../../../src/core/release/readManifest';
import { parseMcubootImage } from '../../../src/core/image/mcubootImage';
import { loadChannelSigningKey } from '../../../src/core/signing/channelKey';
import { loadSigningKey, loadVerifyingKey } from '../../../src/core/signing/loadKey';
import { verifyFirmware } from '../../../src/core/verify/verifyFirmware';
import { mcubootDir } from '../../helpers/fixtures';
import { runCli } from '../../helpers/runCli';
import { makeWorkspace } from './workspace';

const keyPem = readFileSync(join(mcubootDir, 'root-ed25519.pem'), 'utf8');
const key = loadSigningKey({ label: 'root-ed25519.pem', pem: keyPem });

async function release(folder: string, channelIndex: number, extra: Partial<CreateReleaseOptions> = {}) {
  const loaded = await requireWorkspaceConfig(folder);
  return createRelease({
    channel: loaded.config.channels[channelIndex]!,
    folder,
    releasesRoot: join(folder, '.ota', 'releases'),
    mode: { kind: 'release' },
    restamp: false,
    build: true,
    key,
    production: false,
    buildOptions: { env: process.env },
    log: silentLogger,
    ...extra,
  });
}

describe('release create', () => {
  it('builds, signs the MCUboot image with the label as its version, and writes a manifest that verifies', async () => {
    const folder = makeWorkspace();
    const output: string[] = [];
    const r = await release(folder, 1, { buildOptions: { env: process.env, onOutput: (t) => void output.push(t) } });
    assert.equal(r.manifest.label, '1.0.0');
    assert.equal(r.manifest.embeddedVersion, '1.0.0+0');
    assert.equal(r.prediction.labelMismatch, false);
    const manifest = await readManifest(r.manifestPath);
    assert.deepEqual(manifest, r.manifest);
    const bytes = readFileSync(r.artifactPath);
    const vk = loadVerifyingKey({ label: 'k', pem: keyPem });
    const report = verifyFirmware({ bytes, file: r.artifactPath, key: vk, manifest: { value: manifest, path: r.manifestPath } });
    assert.equal(report.ok, true, JSON.stringify(report.checks.filter((c) => c.status === 'failed')));
    assert.equal(manifest.build?.size, 40000);
    assert.match(manifest.build?.builder ?? '', /@/);
  });

  it('writes the security counter of the channel into the signed image (auto: from the label)', async () => {
    const folder = makeWorkspace();
    const configPath = join(folder, '.vscode', 'ota.json');
    const config = JSON.parse(readFileSync(configPath, 'utf8')) as { channels: { signing: Record<string, unknown> }[] };
    config.channels[1]!.signing.securityCounter = 'auto';
    writeFileSync(configPath, JSON.stringify(config));
    const r = await release(folder, 1);
    const image = parseMcubootImage(readFileSync(r.artifactPath), r.artifactPath);
    assert.equal(image.securityCounter, 0x01000000, '1.0.0 → 1 << 24');
    assert.equal(image.tlvs[0]?.name, 'SEC_CNT');
    const report = verifyFirmware({ bytes: readFileSync(r.artifactPath), file: r.artifactPath, key: loadVerifyingKey({ label: 'k', pem: keyPem }) });
    assert.equal(report.ok, true, JSON.stringify(report.checks.filter((c) => c.status === 'failed')));
  });

  it('keeps the build facts of ota build for a later release without a build, while the artifact is unchanged', async () => {
    const folder = makeWorkspace();
    const loaded = await requireWorkspaceConfig(folder);
    const built = await runBuild(loaded.config.channels[1]!, folder, { env: process.env });
    const r = await release(folder, 1, { build: false });
    assert.deepEqual(r.manifest.build, built.metadata);
    assert.equal(r.manifest.build?.command, 'mkdir -p build && cp fw/payload.src build/zephyr.bin');
  });

  it('stress: the same bytes under the next label; ESP-IDF devices skip it unless re-stamped', async () => {
    const folder = makeWorkspace();
    const first = await release(folder, 0, { restamp: true });
    assert.equal(first.manifest.embeddedVersion, '1.0.0');
    const stress = await release(folder, 0, { mode: { kind: 'stress' } });
    assert.equal(stress.manifest.label, '1.0.1');
    assert.equal(stress.manifest.sha256, first.manifest.sha256, 'identical bytes');
    assert.equal(stress.prediction.willReport, '1.0.0');
    assert.equal(stress.prediction.refused, true);
    assert.match(stress.manifest.deviceRefusal ?? '', /equals the running one/);
    assert.equal(stress.withRestamp?.refused, false);
    const restamped = await release(folder, 0, { mode: { kind: 'stress' }, restamp: true });
    assert.equal(restamped.manifest.label, '1.0.2');
    assert.equal(restamped.manifest.embeddedVersion, '1.0.2');
    assert.equal(restamped.prediction.refused, false);
    assert.equal(restamped.running?.source, 'latest accepted release 1.0.0', 'a refused release is not what devices run');
    assert.equal(verifyFirmware({ bytes: readFileSync(restamped.artifactPath), file: 'x' }).ok, true);
  });

  it('rollback: older MCUboot bytes under a higher label are refused by downgrade prevention, accepted once re-stamped', async () => {
    const folder = makeWorkspace();
    await release(folder, 1);
    await release(folder, 1, { label: '1.1.0', restamp: true });
    const rollback = await release(folder, 1, { mode: { kind: 'rollback', from: '1.0.0' } });
    assert.equal(rollback.manifest.label, '1.1.1');
    assert.equal(rollback.manifest.embeddedVersion, '1.0.0+0');
    assert.equal(rollback.prediction.refused, true);
    assert.match(rollback.prediction.rules[0]!.reason, /lower than the running 1\.1\.0\+0/);
    const fixed = await release(folder, 1, { mode: { kind: 'rollback', from: '1.0.0' }, restamp: true });
    assert.equal(fixed.manifest.label, '1.1.2');
    assert.equal(fixed.manifest.embeddedVersion, '1.1.2+0');
    assert.equal(fixed.prediction.refused, false);
  });

  it('adds the HMAC-SHA256 of the artifact under a device secret, which verify checks with the same secret', async () => {
    const folder = makeWorkspace();
    const secret = Buffer.from('fleet secret');
    const r = await release(folder, 0, { hmacSecret: secret });
    assert.match(r.manifest.hmacSha256 ?? '', /^[0-9a-f]{64}$/);
    const bytes = readFileSync(r.artifactPath);
    const manifest = { value: r.manifest, path: r.manifestPath };
    const right = verifyFirmware({ bytes, file: 'a.bin', manifest, hmacSecret: secret });
    assert.equal(right.checks.find((c) => c.name === 'manifest.hmac')?.status, 'ok');
    const wrong = verifyFirmware({ bytes, file: 'a.bin', manifest, hmacSecret: Buffer.from('other') });
    assert.equal(wrong.checks.find((c) => c.name === 'manifest.hmac')?.status, 'failed');
  });

  it('refuses a label that was already released and a production release with a test key, leaving nothing behind', async () => {
    const folder = makeWorkspace();
    await release(folder, 1);
    await assert.rejects(release(folder, 1), (err: unknown) => err instanceof OtaError && err.code === 'release-exists');
    await assert.rejects(release(folder, 1, { label: '2.0.0', production: true }), (err: unknown) => err instanceof OtaError && err.code === 'key-test-key');
    assert.deepEqual(readdirSync(join(folder, '.ota', 'releases', 'p1', 'mcu')), ['1.0.0']);
  });

  it('reports a failing build with its exit code and writes no release', async () => {
    const folder = makeWorkspace();
    const loaded = await requireWorkspaceConfig(folder);
    const channel = { ...loaded.config.channels[1]!, build: { command: 'echo "src/main.c:10:2: error: expected ;" >&2; exit 3' } };
    await assert.rejects(
      createRelease({ channel, folder, releasesRoot: join(folder, '.ota', 'releases'), mode: { kind: 'release' }, restamp: false, build: true, key, production: false, buildOptions: { env: process.env }, log: silentLogger }),
      (err: unknown) => err instanceof OtaError && err.code === 'build-failed' && /exited with code 3/.test(err.message),
    );
    assert.equal(existsSync(join(folder, '.ota', 'releases', 'p1', 'mcu', '1.0.0')), false);
  });

  it('runs from the CLI: ota build streams output, ota release create says what the device will report', async () => {
    const folder = makeWorkspace();
    const env = { ...process.env, OTA_TEST_SIGNING_KEY: keyPem };
    const built = await runCli(['build', '--channel', 'main', '--json'], { cwd: folder, env });
    assert.equal(built.code, 0, built.stderr);
    assert.match(built.stderr, /main\/blink\.c:3:5: warning/);
    assert.equal(JSON.parse(built.stdout).build.size, 182368);
    const made = await runCli(['release', 'create', '--channel', 'main', '--no-build'], { cwd: folder, env });
    assert.equal(made.code, 0, made.stderr);
    assert.match(made.stdout, /device +will report qa-test-v5\.0-20220830-4-g4532e6 after installing, not the label 1\.0\.0/);
    assert.match(made.stderr, /test key/);
    const shown = await runCli(['version', 'show', '--json'], { cwd: folder, env });
    const rows = JSON.parse(shown.stdout).channels;
    assert.deepEqual([rows[0].label, rows[0].embeddedVersion, rows[0].latestRelease.label], ['1.0.0', 'qa-test-v5.0-20220830-4-g4532e6', '1.0.0']);
  });
});

describe('ota build cancellation', () => {
  it('stops the whole build process group when the signal aborts', async () => {
    const folder = makeWorkspace();
    const loaded = await requireWorkspaceConfig(folder);
    const channel = { ...loaded.config.channels[0]!, build: { command: 'sleep 30 & sleep 30; wait' } };
    const abort = new AbortController();
    const started = runBuild(channel, folder, { env: process.env, signal: abort.signal, onOutput: () => undefined });
    setTimeout(() => abort.abort(), 300);
    await assert.rejects(started, (err: unknown) => err instanceof OtaError && err.code === 'cancelled');
  });
});

describe('channel signing keys', () => {
  it('reads ${env:…} keys and warns about a key file inside the workspace', async () => {
    const folder = makeWorkspace();
    const loaded = await requireWorkspaceConfig(folder);
    const fromEnv = await loadChannelSigningKey(loaded.config.channels[1]!, folder, { OTA_TEST_SIGNING_KEY: keyPem });
    assert.equal(fromEnv?.keyId, key.keyId);
    writeFileSync(join(folder, 'fw', 'key.pem'), keyPem);
    const warnings: string[] = [];
    const channel = { ...loaded.config.channels[1]!, signing: { key: 'fw/key.pem', format: 'mcuboot' as const } };
    const fromFile = await loadChannelSigningKey(channel, folder, {}, undefined, { ...silentLogger, warn: (m: string) => void warnings.push(m) });
    assert.equal(fromFile?.keyId, key.keyId);
    assert.match(warnings[0] ?? '', /private key inside the workspace/);
  });
});

import * as assert from 'node:assert/strict';
import { cp, mkdir, copyFile, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { requireWorkspaceConfig } from '../../../src/core/config/loader';
import { silentLogger } from '../../../src/core/logger';
import { plainFirmwarePath } from '../../../src/core/protocol/devicePaths';
import type { ServerEvent, StatusReport } from '../../../src/core/protocol/management';
import type { ReleaseManifest } from '../../../src/core/release/manifest';
import { verifyManifestSignature } from '../../../src/core/release/signManifest';
import { generateSigningKey } from '../../../src/core/signing/generateKey';
import { loadSigningKey, loadVerifyingKey } from '../../../src/core/signing/loadKey';
import { demoFleet } from '../../../src/extension/demo/demoFleet';
import { pushDemoRelease } from '../../../src/extension/demo/demoRelease';
import { SseClient } from '../../../src/extension/live/sseClient';
import { ManagementClient } from '../../../src/providers/ota/managementClient';
import type { RunningServer } from '../../../src/server/startServer';
import { startServer } from '../../../src/server/startServer';
import { removeDir, tempDir } from '../server/helpers/server';

/** Tests run from the repository root (npm scripts, and the per-engineer out dirs in /tmp). */
const repoRoot = process.cwd();

/** Reads status until `done` holds; bounded, so a stuck fleet fails with what it reported. */
async function statusUntil(client: ManagementClient, done: (s: StatusReport) => boolean): Promise<StatusReport> {
  let last: StatusReport | undefined;
  for (let i = 0; i < 300; i++) {
    last = await client.status();
    if (done(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`never reached; devices: ${JSON.stringify(last?.devices.map((d) => [d.id, d.attributes.version, d.whyNot.length]))}`);
}

describe('demo release and fleet against the real server', function () {
  this.timeout(60_000);
  let dir: string;
  let server: RunningServer;
  const abort = new AbortController();

  before(async () => {
    dir = await tempDir('ota-demo-');
    const folder = path.join(dir, 'workspace');
    await cp(path.join(repoRoot, 'test', 'fixtures', 'workspace'), folder, { recursive: true });
    await mkdir(path.join(folder, 'build'));
    await copyFile(path.join(repoRoot, 'test', 'fixtures', 'esp-idf', 'esp_idf_blink_esp32s2.bin'), path.join(folder, 'build', 'smart-plug.bin'));
    server = await startServer({ dataDir: path.join(dir, 'server'), port: 0, settings: { pollingSleepSec: 1 } });
  });

  after(async () => {
    abort.abort();
    await server?.close(500);
    await removeDir(dir);
  });

  it('re-stamps and signs the image, deploys it, updates the matching devices and records why the wrong-key one is not offered; SSE carries it all', async () => {
    const folder = path.join(dir, 'workspace');
    const { config } = await requireWorkspaceConfig(folder);
    const channel = config.channels[0]!;
    const client = new ManagementClient(server.url, server.token);
    const events: ServerEvent[] = [];
    let opened = 0;
    new SseClient(server.url, server.token, { onOpen: () => opened++, onEvent: (e) => events.push(e), onDrop: () => undefined }).start(abort.signal);

    const groups = demoFleet({ server: server.url, channel, product: config.products[0], dir: path.join(dir, 'devices'), bytesPerSecond: 0 });
    const devices = groups.flatMap((g) => g.fleet.devices.map((d) => ({ id: d.id, matching: g.matching })));
    assert.deepEqual(devices.map((d) => d.id), ['demo-plug-1', 'demo-plug-2', 'demo-plug-3', 'demo-oldkey-1', 'demo-wrongkey-1']);
    const fleetDone = Promise.all(groups.map((g) => g.fleet.run(abort.signal)));

    const generated = await generateSigningKey('ed25519');
    const key = loadSigningKey({ label: 'test key', pem: generated.privatePem });
    const first = await pushDemoRelease({ config, channel, folder, scratch: path.join(dir, 'scratch'), key, client, signal: abort.signal, log: silentLogger, onProgress: () => undefined });
    assert.equal(first.created.manifest.label, '1.1.0');
    assert.equal(first.created.manifest.embeddedVersion, '1.1.0');
    assert.equal(first.created.restamped, true);
    assert.equal(first.created.manifest.signature?.algorithm, 'ed25519');
    assert.match(first.release.notes ?? '', /^OTA Workbench demo: embedded version 1\.1\.0/);
    // The signed manifest went up with the image; a device fetches it next to the image and verifies it.
    const manifestUrl = `${server.url}${plainFirmwarePath(first.release.id, first.release.filename)}.manifest.json`;
    const served = Buffer.from(await (await fetch(manifestUrl)).arrayBuffer());
    assert.ok(served.equals(await readFile(first.created.manifestPath)), 'the manifest file, byte for byte');
    const verdict = verifyManifestSignature(JSON.parse(served.toString('utf8')) as ReleaseManifest, loadVerifyingKey({ label: 'test key', pem: generated.publicPem }));
    assert.equal(verdict.ok, true, verdict.detail);

    const done = await statusUntil(client, (s) =>
      devices.every((d) => {
        const seen = s.devices.find((x) => x.id === d.id);
        // The version report may come just before the feedback that closes the session: wait for both.
        const succeeded = s.sessions.some((x) => x.deviceId === d.id && x.deploymentId === first.deployment.id && x.state === 'succeeded');
        return d.matching ? seen?.attributes.version === '1.1.0' && succeeded : seen?.whyNot.some((w) => w.deploymentId === first.deployment.id);
      }),
    );
    const wrong = done.devices.find((d) => d.id === 'demo-wrongkey-1')!;
    assert.equal(wrong.attributes.version, '1.0.0');
    assert.match(wrong.whyNot.find((w) => w.deploymentId === first.deployment.id)!.reason, /fw_key plug-key-2024-wrong/);
    assert.ok(done.sessions.filter((s) => s.state === 'succeeded').length >= 4);

    // A second demo run releases the next label and retires the first demo deployment.
    const second = await pushDemoRelease({ config, channel, folder, scratch: path.join(dir, 'scratch'), key, client, signal: abort.signal, log: silentLogger, onProgress: () => undefined });
    assert.equal(second.created.manifest.label, '1.2.0');
    const after = await client.status();
    assert.equal(after.deployments.find((d) => d.id === first.deployment.id)?.state, 'cancelled');

    assert.equal(opened, 1);
    const types = new Set(events.map((e) => e.type));
    for (const t of ['release.created', 'deployment.created', 'device.attributes', 'device.not-offered', 'session.updated', 'deployment.cancelled'] as const) assert.ok(types.has(t), `no ${t} event over SSE`);
    assert.deepEqual(events.map((e) => e.id), [...events.map((e) => e.id)].sort((a, b) => a - b), 'SSE events arrive in id order');
    abort.abort();
    await fleetDone;
  });
});

import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { ddiPaths } from '../../../src/core/protocol/ddi';
import type { DdiBase, DdiDeploymentBase } from '../../../src/core/protocol/ddi';
import { signedManifestFilename } from '../../../src/core/protocol/devicePaths';
import type { Release } from '../../../src/core/protocol/management';
import type { ReleaseManifest } from '../../../src/core/release/manifest';
import { manifestSchema } from '../../../src/core/release/manifest';
import { signManifest, verifyManifestSignature } from '../../../src/core/release/signManifest';
import { generateSigningKey } from '../../../src/core/signing/generateKey';
import { loadSigningKey, loadVerifyingKey } from '../../../src/core/signing/loadKey';
import type { RunningServer } from '../../../src/server/startServer';
import { request } from './helpers/http';
import { api, md5, removeDir, sha256, start, tempDir } from './helpers/server';

describe('signed release manifest served to devices', () => {
  let dir: string;
  let server: RunningServer;
  const image = randomBytes(20_000);
  let manifestBytes: Buffer;
  let verifyKey: ReturnType<typeof loadVerifyingKey>;

  before(async () => {
    const generated = await generateSigningKey('ed25519');
    const key = loadSigningKey({ label: 'test key', pem: generated.privatePem });
    verifyKey = loadVerifyingKey({ label: 'test key', pem: generated.publicPem });
    const manifest = signManifest(
      {
        schema: manifestSchema,
        label: '1.2.0',
        embeddedVersion: '1.2.0',
        format: 'esp-idf',
        kind: 'release',
        pid: 'P',
        firmwareKey: 'K',
        channel: 'main',
        file: 'fw.bin',
        size: image.length,
        md5: md5(image),
        sha256: sha256(image),
        createdAt: '2026-11-27T12:00:00.000Z',
      } as Omit<ReleaseManifest, 'keyId' | 'signature'>,
      key,
    );
    // Pretty-printed with a trailing newline, as `ota release create` writes it: the server must
    // not re-serialise it.
    manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
  });
  beforeEach(async () => {
    dir = await tempDir('ota-manifest-');
    server = await start(dir);
  });
  afterEach(async () => {
    await server.close(0);
    await removeDir(dir);
  });

  async function upload(signedManifest: string | undefined, declared: Record<string, unknown> = {}) {
    const begin = await api(server, 'POST', '/api/v1/uploads', { pid: 'P', fwKey: 'K', channel: 'main', label: '1.2.0', filename: 'fw.bin', size: image.length, ...(signedManifest !== undefined ? { signedManifest } : {}), ...declared });
    if (begin.status !== 201) return { status: begin.status, json: begin.json };
    const id = (begin.json as { id: string }).id;
    await api(server, 'PUT', `/api/v1/uploads/${id}`, image, { 'upload-offset': '0', 'content-type': 'application/octet-stream' });
    return api(server, 'POST', `/api/v1/uploads/${id}/complete`);
  }

  it('keeps the manifest byte for byte and serves it on the plain URL and through the DDI chunk metadata, and it verifies', async () => {
    const done = await upload(manifestBytes.toString('base64'));
    assert.equal(done.status, 201);
    const release = done.json as Release;
    assert.deepEqual(release.signedManifest, { filename: 'fw.bin.manifest.json', size: manifestBytes.length, sha256: sha256(manifestBytes), md5: md5(manifestBytes), sha1: release.signedManifest!.sha1 });

    const plain = await request(`${server.url}/fw/${release.id}/${signedManifestFilename('fw.bin')}`);
    assert.equal(plain.status, 200);
    assert.equal(plain.headers['content-type'], 'application/json');
    assert.ok(plain.body.equals(manifestBytes), 'the bytes as uploaded');

    // The device's view: configData, a deployment, the deploymentBase with one artifact and the
    // manifest named in the chunk metadata (one-artifact clients such as Zephyr still parse it).
    await request(server.url + ddiPaths.configData('DEFAULT', 'd1'), { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ data: { fw_key: 'K', channel: 'main', pid: 'P' } }) });
    assert.equal((await api(server, 'POST', '/api/v1/deployments', { releaseId: release.id })).status, 201);
    const base = JSON.parse((await request(server.url + ddiPaths.base('DEFAULT', 'd1'))).body.toString()) as DdiBase;
    const deployment = JSON.parse((await request(base._links.deploymentBase!.href)).body.toString()) as DdiDeploymentBase;
    const chunk = deployment.deployment.chunks[0]!;
    const artifacts = chunk.artifacts;
    assert.deepEqual(artifacts.map((a) => a.filename), ['fw.bin']);
    const meta = new Map((chunk.metadata ?? []).map((e) => [e.key, e.value]));
    assert.equal(meta.get('signed-manifest-sha256'), sha256(manifestBytes));
    const url = meta.get('signed-manifest')!;
    assert.ok(url.endsWith(`/softwaremodules/${release.id}/artifacts/fw.bin.manifest.json`), url);
    const fetched = await request(url);
    assert.ok(fetched.body.equals(manifestBytes));
    assert.equal((await request(`${url}.MD5SUM`)).body.toString(), `${md5(manifestBytes)}  fw.bin.manifest.json\n`);
    const parsed = JSON.parse(fetched.body.toString()) as ReleaseManifest;
    assert.equal(verifyManifestSignature(parsed, verifyKey).ok, true);
    assert.equal(parsed.sha256, artifacts[0]!.hashes.sha256, 'the manifest describes the image next to it');
    const range = await request(url, { headers: { range: 'bytes=0-9' } });
    assert.equal(range.status, 206);
    assert.ok(range.body.equals(manifestBytes.subarray(0, 10)));

    // And after a restart (the bytes come back from the journal).
    await server.close(0);
    server = await start(dir);
    assert.ok((await request(`${server.url}/fw/${release.id}/fw.bin.manifest.json`)).body.equals(manifestBytes));
  });

  it('refuses what is not a signed manifest of this image, and a release without one has one artifact', async () => {
    const notBase64 = await upload('{"schema":1}');
    assert.equal(notBase64.status, 400);
    assert.match((notBase64.json as { error: string }).error, /base64/);
    const unsigned = JSON.parse(manifestBytes.toString()) as ReleaseManifest;
    delete unsigned.signature;
    const r1 = await upload(Buffer.from(JSON.stringify(unsigned)).toString('base64'));
    assert.equal(r1.status, 400);
    assert.match((r1.json as { error: string }).error, /not signed/);
    const wrongSize = await upload(manifestBytes.toString('base64'), { size: image.length + 1 });
    assert.equal(wrongSize.status, 400);
    const other = JSON.parse(manifestBytes.toString()) as ReleaseManifest;
    other.sha256 = sha256(Buffer.from('other image'));
    const mismatch = await upload(Buffer.from(JSON.stringify(other)).toString('base64'));
    assert.equal(mismatch.status, 422, 'the manifest describes other bytes');
    assert.deepEqual(((await api(server, 'GET', '/api/v1/releases')).json as Release[]).length, 0);

    const plain = await upload(undefined);
    assert.equal(plain.status, 201);
    const release = plain.json as Release;
    assert.equal(release.signedManifest, undefined);
    assert.equal((await request(`${server.url}/fw/${release.id}/fw.bin.manifest.json`)).status, 404);
  });
});

import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { DdiBase, DdiDeploymentBase } from '../../../src/core/protocol/ddi';
import { ddiPaths } from '../../../src/core/protocol/ddi';
import type { Release, UpdateSession } from '../../../src/core/protocol/management';
import { buildSyntheticEspImage } from '../../../src/device/simulator/syntheticImage';
import type { RunningServer } from '../../../src/server/startServer';
import { judgeVersion } from '../../../src/server/versionOutcome';
import { request } from './helpers/http';
import { api, removeDir, sha256, start, tempDir } from './helpers/server';

const put = (body: unknown) => ({ method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const post = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('version outcome: judging what a device runs after an update', () => {
  it('names the label, the image version, neither, or no report yet', () => {
    assert.equal(judgeVersion('1.0.1', '1.0.1', '1.0.1', '1.0.0').verdict, 'label');
    assert.equal(judgeVersion('1.0.1', '1.0.0', '1.0.0', undefined).summary, 'device runs 1.0.0 after release 1.0.1: the image carries 1.0.0 inside (a stress or rollback release); dashboards that compare labels show this as a failed update');
    const other = judgeVersion('1.0.2', '1.0.0', '1.0.1', '1.0.1');
    assert.equal(other.verdict, 'other');
    assert.equal(other.summary, 'device runs 1.0.1 after release 1.0.2, and the image carries 1.0.0 inside: it may have rolled back or kept its old image; dashboards that compare labels show this as a failed update');
    assert.match(judgeVersion('1.0.2', undefined, '0.9', undefined).summary, /the version inside the image is unknown/);
    assert.deepEqual(judgeVersion('1.0.2', '1.0.0', undefined, '1.0.1'), { label: '1.0.2', embedded: '1.0.0', verdict: 'unreported', summary: 'release 1.0.2 installed; the device has not reported the version it runs yet' });
  });
});

/** A hawkBit client driven by hand, to choose the order of its reports. */
describe('version outcome over DDI', () => {
  let dir: string;
  let server: RunningServer;

  beforeEach(async () => {
    dir = await tempDir();
    server = await start(dir);
  });
  afterEach(async () => {
    await server.close(0);
    await removeDir(dir);
  });

  async function upload(data: Buffer, label: string, signedManifest?: object): Promise<Release> {
    const manifest = { filename: 'fw.bin', pid: 'P', fwKey: 'K1', channel: 'main', label, size: data.length, sha256: sha256(data) };
    const extra = signedManifest ? { signedManifest: Buffer.from(JSON.stringify(signedManifest)).toString('base64') } : {};
    const begin = await api(server, 'POST', '/api/v1/uploads', { ...manifest, ...extra });
    assert.equal(begin.status, 201, begin.body.toString());
    const id = (begin.json as { id: string }).id;
    assert.equal((await api(server, 'PUT', `/api/v1/uploads/${id}`, data, { 'upload-offset': '0', 'content-type': 'application/octet-stream' })).status, 200);
    const done = await api(server, 'POST', `/api/v1/uploads/${id}/complete`);
    assert.equal(done.status, 201, done.body.toString());
    return done.json as Release;
  }

  /** Reports 1.0.0, takes the offered update, downloads it and closes it with success. */
  async function update(device: string, release: Release): Promise<string> {
    await request(server.url + ddiPaths.configData('DEFAULT', device), put({ data: { fw_key: 'K1', channel: 'main', version: '1.0.0' } }));
    assert.equal((await api(server, 'POST', '/api/v1/deployments', { releaseId: release.id })).status, 201);
    const base = JSON.parse((await request(server.url + ddiPaths.base('DEFAULT', device))).body.toString()) as DdiBase;
    const href = base._links.deploymentBase!.href;
    const db = JSON.parse((await request(href)).body.toString()) as DdiDeploymentBase;
    const image = db.deployment.chunks[0]!.artifacts.find((a) => a.filename === 'fw.bin')!;
    assert.equal((await request(image._links['download-http']!.href)).status, 200);
    const feedback = href.replace(/\?.*$/, '') + '/feedback';
    for (const execution of ['downloaded', 'proceeding']) assert.equal((await request(feedback, post({ status: { execution, result: { finished: 'none' } } }))).status, 200);
    return feedback;
  }

  async function session(id: string): Promise<UpdateSession> {
    return ((await api(server, 'GET', '/api/v1/sessions')).json as UpdateSession[]).find((s) => s.id === id)!;
  }

  it('a device that closes the action before reporting its version: unreported, then judged on its next configData', async () => {
    const release = await upload(buildSyntheticEspImage({ version: '1.0.0', size: 8 * 1024 }), '1.0.1');
    const feedback = await update('late', release);
    assert.equal((await request(feedback, post({ status: { execution: 'closed', result: { finished: 'success' } } }))).status, 200);
    const id = /deploymentBase\/([^/]+)\/feedback/.exec(feedback)![1]!;
    const closed = await session(id);
    assert.equal(closed.state, 'succeeded');
    assert.equal(closed.version?.verdict, 'unreported');
    await request(server.url + ddiPaths.configData('DEFAULT', 'late'), put({ data: { version: '1.0.0' } }));
    const judged = await session(id);
    assert.equal(judged.state, 'succeeded');
    assert.deepEqual(judged.version, {
      label: '1.0.1',
      embedded: '1.0.0',
      running: '1.0.0',
      verdict: 'embedded',
      summary: 'device runs 1.0.0 after release 1.0.1: the image carries 1.0.0 inside (a stress release: the same version it ran before); dashboards that compare labels show this as a failed update',
    });
  });

  it('a server restart between the version report and the success: a new version the device reported still counts', async () => {
    const release = await upload(buildSyntheticEspImage({ version: '1.0.1', size: 8 * 1024 }), '1.0.1');
    const feedback = await update('restart', release);
    await request(server.url + ddiPaths.configData('DEFAULT', 'restart'), put({ data: { version: '1.0.1' } }));
    await server.close(0);
    server = await start(dir);
    const id = /deploymentBase\/([^/]+)\/feedback/.exec(feedback)![1]!;
    const again = server.url + new URL(feedback).pathname;
    assert.equal((await request(again, post({ status: { execution: 'closed', result: { finished: 'success' } } }))).status, 200);
    const s = await session(id);
    assert.equal(s.state, 'succeeded');
    assert.equal(s.version?.verdict, 'label');
    assert.equal(s.version?.running, '1.0.1');
  });

  it("takes the embedded version from the release's signed manifest when it has one", async () => {
    const data = randomBytes(4096);
    const signed = { schema: 'ota-workbench/release-manifest@1', label: '1.0.2', embeddedVersion: '1.0.0', size: data.length, sha256: sha256(data), signature: { algorithm: 'ed25519', value: 'AA==' } };
    const release = await upload(data, '1.0.2', signed);
    const feedback = await update('signed', release);
    await request(server.url + ddiPaths.configData('DEFAULT', 'signed'), put({ data: { version: '1.0.0' } }));
    assert.equal((await request(feedback, post({ status: { execution: 'closed', result: { finished: 'success' } } }))).status, 200);
    const s = await session(/deploymentBase\/([^/]+)\/feedback/.exec(feedback)![1]!);
    assert.equal(s.version?.embedded, '1.0.0', 'a raw image has no header to read it from: this came from the manifest');
    assert.equal(s.version?.verdict, 'embedded');
  });
});

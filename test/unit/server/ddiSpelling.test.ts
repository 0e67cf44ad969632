import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { DdiBase, DdiDeploymentBase } from '../../../src/core/protocol/ddi';
import { ddiPaths } from '../../../src/core/protocol/ddi';
import type { Device, UpdateSession } from '../../../src/core/protocol/management';
import type { RunningServer } from '../../../src/server/startServer';
import { request } from './helpers/http';
import { api, removeDir, start, tempDir, uploadRelease } from './helpers/server';

const put = (body: unknown) => ({ method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const post = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** hawkBit's own DDI spelling and link rules, as hawkBit's DDI resources answer them. */
describe('hawkBit DDI: links and spelling as hawkBit has them', () => {
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

  const poll = async (id: string) => JSON.parse((await request(server.url + ddiPaths.base('DEFAULT', id))).body.toString()) as DdiBase;
  const device = async (id: string) => (await api(server, 'GET', `/api/v1/devices/${id}`)).json as Device;

  it('drops the configData link after any PUT, and the why-not is recomputed by the PUT itself', async () => {
    const release = await uploadRelease(server, randomBytes(1000), { pid: 'P', fwKey: 'K', channel: 'main', label: '1.0.1' });
    await api(server, 'POST', '/api/v1/deployments', { releaseId: release.id });
    assert.ok((await poll('d1'))._links.configData);
    assert.match((await device('d1')).whyNot[0]!.reason, /has not reported fw_key or channel/);

    assert.equal((await request(server.url + ddiPaths.configData('DEFAULT', 'd1'), put({ mode: 'merge', data: { VIN: '42' } }))).status, 200);
    assert.equal((await poll('d1'))._links.configData, undefined, 'asked once, as hawkBit does');

    // The PUT brings the why-not up to date before the next poll.
    await request(server.url + ddiPaths.configData('DEFAULT', 'd1'), put({ mode: 'merge', data: { channel: 'main' } }));
    assert.match((await device('d1')).whyNot[0]!.reason, /has not reported fw_key; deployment/);
    await request(server.url + ddiPaths.configData('DEFAULT', 'd1'), put({ mode: 'merge', data: { fw_key: 'K' } }));
    assert.deepEqual((await device('d1')).whyNot, [], 'offerable now: no stale reason');
    assert.equal((await api(server, 'GET', '/api/v1/sessions')).json instanceof Array && ((await api(server, 'GET', '/api/v1/sessions')).json as UpdateSession[]).length, 0, 'the PUT opens no session');
    assert.ok((await poll('d1'))._links.deploymentBase);
  });

  it('takes execution "download" (DdiStatus.ExecutionStatus.DOWNLOAD) and names the valid values for anything else', async () => {
    await request(server.url + ddiPaths.configData('DEFAULT', 'd1'), put({ data: { fw_key: 'K', channel: 'main' } }));
    const release = await uploadRelease(server, randomBytes(1000), { pid: 'P', fwKey: 'K', channel: 'main', label: '1.0.1' });
    await api(server, 'POST', '/api/v1/deployments', { releaseId: release.id });
    const href = (await poll('d1'))._links.deploymentBase!.href;
    const db = JSON.parse((await request(href)).body.toString()) as DdiDeploymentBase;
    const feedback = href.replace(/\?.*$/, '') + '/feedback';
    const ok = await request(feedback, post({ id: db.id, status: { execution: 'download', result: { finished: 'none' } } }));
    assert.equal(ok.status, 200);
    assert.equal(((await api(server, 'GET', `/api/v1/sessions/${db.id}`)).json as UpdateSession).state, 'downloading');
    const bad = await request(feedback, post({ id: db.id, status: { execution: 'fetching', result: { finished: 'none' } } }));
    assert.equal(bad.status, 400);
    const answer = JSON.parse(bad.body.toString()) as { error: string; hint: string };
    assert.equal(answer.error, 'unknown execution status "fetching"');
    assert.match(answer.hint, /download, downloaded/);
  });

  it('writes links with the tenant upper-case, as hawkBit does, whatever case the device polled with', async () => {
    await request(server.url + ddiPaths.configData('default', 'd1'), put({ data: { fw_key: 'K', channel: 'main' } }));
    const release = await uploadRelease(server, randomBytes(1000), { pid: 'P', fwKey: 'K', channel: 'main', label: '1.0.1' });
    await api(server, 'POST', '/api/v1/deployments', { releaseId: release.id });
    const base = JSON.parse((await request(server.url + ddiPaths.base('default', 'd1'))).body.toString()) as DdiBase;
    assert.match(base._links.deploymentBase!.href, /\/DEFAULT\/controller\/v1\/d1\/deploymentBase\//);
    const db = JSON.parse((await request(base._links.deploymentBase!.href)).body.toString()) as DdiDeploymentBase;
    assert.match(db.deployment.chunks[0]!.artifacts[0]!._links['download-http']!.href, /\/DEFAULT\/controller\/v1\/d1\/softwaremodules\//);
    assert.equal(db.deployment.chunks[0]!.part, 'bApp');

    // A part is a short token: it goes into device JSON as is.
    const bad = await api(server, 'POST', '/api/v1/uploads', { pid: 'P', fwKey: 'K', channel: 'main', label: '1', filename: 'f.bin', size: 10, part: 'b App' });
    assert.equal(bad.status, 400);
    assert.match((bad.json as { error: string }).error, /manifest field "part" must be a short name/);
  });
});

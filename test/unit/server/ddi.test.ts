import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { DdiBase, DdiDeploymentBase } from '../../../src/core/protocol/ddi';
import { ddiPaths } from '../../../src/core/protocol/ddi';
import type { Device, UpdateSession } from '../../../src/core/protocol/management';
import type { RunningServer } from '../../../src/server/startServer';
import { request } from './helpers/http';
import { startServer } from '../../../src/server/startServer';
import { api, md5, removeDir, sha256, start, tempDir, token, uploadRelease } from './helpers/server';

const json = (body: unknown) => ({ method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('hawkBit DDI', () => {
  let dir: string;
  let server: RunningServer;
  const image = randomBytes(50_000);

  beforeEach(async () => {
    dir = await tempDir();
    server = await start(dir);
  });
  afterEach(async () => {
    await server.close(0);
    await removeDir(dir);
  });

  async function poll(device: string): Promise<DdiBase> {
    const r = await request(server.url + ddiPaths.base('DEFAULT', device));
    assert.equal(r.status, 200);
    return JSON.parse(r.body.toString()) as DdiBase;
  }

  it('asks for configData, offers the deployment, serves the artifact by Range and closes on feedback', async () => {
    const first = await poll('d1');
    assert.match(first.config.polling.sleep, /^\d\d:\d\d:\d\d$/);
    assert.ok(first._links.configData, 'a new device is asked for its attributes');
    assert.equal(first._links.deploymentBase, undefined);

    const put = await request(server.url + ddiPaths.configData('DEFAULT', 'd1'), { ...json({ mode: 'merge', data: { fw_key: 'K1', channel: 'main', pid: 'P', version: '1.0.0' } }) });
    assert.equal(put.status, 200);

    const release = await uploadRelease(server, image, { pid: 'P', fwKey: 'K1', channel: 'main', label: '1.0.1' });
    const dep = await api(server, 'POST', '/api/v1/deployments', { releaseId: release.id, type: 'forced' });
    assert.equal(dep.status, 201);

    const base = await poll('d1');
    assert.equal(base._links.configData, undefined);
    const href = base._links.deploymentBase?.href;
    assert.ok(href, 'the deployment is offered');
    const db = JSON.parse((await request(href)).body.toString()) as DdiDeploymentBase;
    assert.equal(db.deployment.download, 'forced');
    const artifact = db.deployment.chunks[0]!.artifacts[0]!;
    assert.equal(artifact.size, image.length);
    assert.deepEqual(artifact.hashes, { sha256: sha256(image), md5: md5(image), sha1: release.sha1 });

    const url = artifact._links['download-http']!.href;
    const part1 = await request(url, { headers: { range: 'bytes=0-19999' } });
    assert.equal(part1.status, 206);
    const part2 = await request(url, { headers: { range: 'bytes=20000-' } });
    assert.equal(part2.status, 206);
    assert.ok(Buffer.concat([part1.body, part2.body]).equals(image));
    const sum = await request(artifact._links['md5sum-http']!.href);
    assert.equal(sum.body.toString(), `${md5(image)}  fw.bin\n`);

    const sessions = (await api(server, 'GET', '/api/v1/sessions')).json as UpdateSession[];
    assert.equal(sessions.length, 1);
    const one = (await api(server, 'GET', '/api/v1/devices/d1')).json as Device & { sessions: UpdateSession[] };
    assert.equal(one.attributes.fw_key, 'K1');
    assert.deepEqual(one.sessions.map((x) => x.id), [sessions[0]!.id]);
    assert.equal(((await api(server, 'GET', `/api/v1/sessions/${sessions[0]!.id}`)).json as UpdateSession).deviceId, 'd1');
    assert.equal(sessions[0]!.bytesServed, image.length);
    assert.equal(sessions[0]!.state, 'downloaded');

    const fb = await request(href.replace(/\?.*$/, '') + '/feedback', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: db.id, status: { execution: 'closed', result: { finished: 'success' }, details: ['installed'] } }),
    });
    assert.equal(fb.status, 200);
    const after = (await api(server, 'GET', '/api/v1/sessions')).json as UpdateSession[];
    assert.equal(after[0]!.state, 'succeeded');
    assert.equal(after[0]!.progress, 1);
    assert.equal((await poll('d1'))._links.deploymentBase, undefined, 'a finished update is not offered again');
  });

  it('counts a resume the device reports even when the server had already written every byte', async () => {
    // On loopback the whole image fits in the socket buffers: the server has served it all while
    // the device, cut off half way, has half. The device's `resumed` is what says it was cut.
    await request(server.url + ddiPaths.configData('DEFAULT', 'd1'), json({ data: { fw_key: 'K1', channel: 'main', pid: 'P' } }));
    const release = await uploadRelease(server, image, { pid: 'P', fwKey: 'K1', channel: 'main', label: '1.0.1' });
    await api(server, 'POST', '/api/v1/deployments', { releaseId: release.id, type: 'forced' });
    const href = (await poll('d1'))._links.deploymentBase!.href;
    const db = JSON.parse((await request(href)).body.toString()) as DdiDeploymentBase;
    await request(db.deployment.chunks[0]!.artifacts[0]!._links['download-http']!.href);
    const served = ((await api(server, 'GET', '/api/v1/sessions')).json as UpdateSession[])[0]!;
    assert.equal(served.bytesServed, image.length);
    const feedback = (status: unknown) => request(href.replace(/\?.*$/, '') + '/feedback', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: db.id, status }) });
    assert.equal((await feedback({ execution: 'resumed', result: { finished: 'none' }, details: ['resuming at byte 25000'] })).status, 200);
    const resumed = (await api(server, 'GET', `/api/v1/sessions/${served.id}`)).json as UpdateSession;
    assert.equal(resumed.resumes, 1);
    assert.equal(resumed.state, 'downloaded', 'a device resuming its download is not installing');
    // Once installing, `resumed` is the install going on after a reboot, not a download resumed.
    await feedback({ execution: 'proceeding', result: { finished: 'none' }, details: ['installing'] });
    await feedback({ execution: 'resumed', result: { finished: 'none' }, details: ['back after reboot'] });
    const installing = (await api(server, 'GET', `/api/v1/sessions/${served.id}`)).json as UpdateSession;
    assert.equal(installing.resumes, 1);
    assert.equal(installing.state, 'installing');
  });

  it('records why a device is not offered, in words a developer can act on', async () => {
    await request(server.url + ddiPaths.configData('DEFAULT', 'd1'), json({ data: { fw_key: 'K1', channel: 'main' } }));
    const release = await uploadRelease(server, image, { pid: 'P', fwKey: 'K2', channel: 'main', label: '1.0.1' });
    const dep = (await api(server, 'POST', '/api/v1/deployments', { releaseId: release.id })).json as { id: string };
    assert.equal((await poll('d1'))._links.deploymentBase, undefined);
    const devices = (await api(server, 'GET', '/api/v1/devices')).json as Device[];
    const reason = devices[0]!.whyNot[0]!.reason;
    assert.ok(reason.startsWith(`device d1 reports fw_key K1, channel main; deployment ${dep.id} needs a key bound to PID P (bound: K2)`), reason);

    // The seed's fix: bind the old key to the PID as well.
    assert.equal((await api(server, 'POST', '/api/v1/products/P/keys', { keys: ['K1'] })).status, 200);
    assert.ok((await poll('d1'))._links.deploymentBase);
    const cleared = (await api(server, 'GET', '/api/v1/devices')).json as Device[];
    assert.deepEqual(cleared[0]!.whyNot, [], 'the record is gone, not left with an empty reason');
  });

  it('names a channel mismatch', async () => {
    await request(server.url + ddiPaths.configData('DEFAULT', 'd2'), json({ data: { fw_key: 'K1', channel: 'ble' } }));
    const release = await uploadRelease(server, image, { pid: 'P', fwKey: 'K1', channel: 'main', label: '1.0.1' });
    await api(server, 'POST', '/api/v1/deployments', { releaseId: release.id, devices: ['d2'] });
    await poll('d2');
    const devices = (await api(server, 'GET', '/api/v1/devices')).json as Device[];
    assert.match(devices[0]!.whyNot[0]!.reason, /device d2 reports fw_key K1, channel ble; deployment \d+ is for channel main/);
  });

  it('sends cancelAction after a deployment is cancelled and takes its feedback', async () => {
    await request(server.url + ddiPaths.configData('DEFAULT', 'd1'), json({ data: { fw_key: 'K1', channel: 'main' } }));
    const release = await uploadRelease(server, image, { pid: 'P', fwKey: 'K1', channel: 'main', label: '1.0.1' });
    const dep = (await api(server, 'POST', '/api/v1/deployments', { releaseId: release.id })).json as { id: string };
    const offered = await poll('d1');
    const action = /deploymentBase\/(\d+)/.exec(offered._links.deploymentBase!.href)![1]!;
    assert.equal((await api(server, 'POST', `/api/v1/deployments/${dep.id}/cancel`)).status, 200);
    const base = await poll('d1');
    const cancelHref = base._links.cancelAction?.href ?? '';
    assert.ok(cancelHref.endsWith(`/cancelAction/${action}`), cancelHref);
    const cancel = JSON.parse((await request(cancelHref)).body.toString()) as { cancelAction: { stopId: string } };
    assert.equal(cancel.cancelAction.stopId, action);
    const fb = await request(cancelHref + '/feedback', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: { execution: 'closed', result: { finished: 'success' } } }),
    });
    assert.equal(fb.status, 200);
    const after = await poll('d1');
    assert.equal(after._links.cancelAction, undefined);
    assert.equal(after._links.deploymentBase, undefined);
  });
});

describe('hawkBit DDI: a newer deployment supersedes an open action', () => {
  it('cancels the old action through cancelAction, then offers the new one', async () => {
    const dir = await tempDir();
    const server = await start(dir);
    try {
      const poll = async () => JSON.parse((await request(server.url + ddiPaths.base('DEFAULT', 'd1'))).body.toString()) as DdiBase;
      await request(server.url + ddiPaths.configData('DEFAULT', 'd1'), json({ data: { fw_key: 'K1', channel: 'main' } }));
      const r1 = await uploadRelease(server, randomBytes(1000), { pid: 'P', fwKey: 'K1', channel: 'main', label: '1.0.1' });
      await api(server, 'POST', '/api/v1/deployments', { releaseId: r1.id });
      const first = /deploymentBase\/(\d+)/.exec((await poll())._links.deploymentBase!.href)![1]!;
      const r2 = await uploadRelease(server, randomBytes(1000), { pid: 'P', fwKey: 'K1', channel: 'main', label: '1.0.2' });
      const dep2 = (await api(server, 'POST', '/api/v1/deployments', { releaseId: r2.id })).json as { id: string };
      const cancel = (await poll())._links.cancelAction?.href ?? '';
      assert.ok(cancel.endsWith(`/cancelAction/${first}`), cancel);
      await request(cancel + '/feedback', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: { execution: 'closed', result: { finished: 'success' } } }) });
      const next = (await poll())._links.deploymentBase?.href ?? '';
      const db = JSON.parse((await request(next)).body.toString()) as DdiDeploymentBase;
      assert.equal(db.deployment.chunks[0]!.version, '1.0.2');
      const sessions = (await api(server, 'GET', '/api/v1/sessions')).json as UpdateSession[];
      assert.deepEqual(
        sessions.map((s) => [s.state, s.failureReason ?? '']),
        [
          ['cancelled', `superseded by deployment ${dep2.id}`],
          ['offered', ''],
        ],
      );
    } finally {
      await server.close(0);
      await removeDir(dir);
    }
  });
});

describe('hawkBit DDI: racing polls', () => {
  it('opens one session however many polls of one device race', async () => {
    const dir = await tempDir();
    const server = await start(dir);
    try {
      await request(server.url + ddiPaths.configData('DEFAULT', 'd1'), json({ data: { fw_key: 'K1', channel: 'main' } }));
      const r = await uploadRelease(server, randomBytes(1000), { pid: 'P', fwKey: 'K1', channel: 'main', label: '1.0.1' });
      await api(server, 'POST', '/api/v1/deployments', { releaseId: r.id });
      const polls = await Promise.all(Array.from({ length: 20 }, () => request(server.url + ddiPaths.base('DEFAULT', 'd1'))));
      const actions = new Set(polls.map((p) => (JSON.parse(p.body.toString()) as DdiBase)._links.deploymentBase?.href));
      assert.equal(actions.size, 1);
      assert.equal(((await api(server, 'GET', '/api/v1/sessions')).json as UpdateSession[]).length, 1);
    } finally {
      await server.close(0);
      await removeDir(dir);
    }
  });
});

describe('device token', () => {
  it('closes the device APIs to requests without the shared token, in every form devices can send it', async () => {
    const dir = await tempDir();
    const server = await startServer({ dataDir: dir, port: 0, token, deviceToken: 'dev-secret' });
    try {
      const base = server.url + ddiPaths.base('DEFAULT', 'd1');
      const refused = await request(base);
      assert.equal(refused.status, 401);
      assert.equal(refused.headers['www-authenticate'], 'GatewayToken realm="ota devices"');
      assert.equal((await request(base, { headers: { authorization: 'GatewayToken wrong' } })).status, 401);
      assert.equal((await request(base, { headers: { authorization: 'GatewayToken dev-secret' } })).status, 200);
      assert.equal((await request(base, { headers: { authorization: 'TargetToken dev-secret' } })).status, 200);
      assert.equal((await request(base, { headers: { authorization: `Basic ${Buffer.from('esp:dev-secret').toString('base64')}` } })).status, 200);
      assert.equal((await request(`${base}?token=dev-secret`)).status, 200);
      assert.equal((await request(`${server.url}/fw/latest?device=x`)).status, 401);
      assert.equal((await api(server, 'GET', '/api/v1/status')).status, 200, 'the management API keeps its own token');
    } finally {
      await server.close(0);
      await removeDir(dir);
    }
  });
});

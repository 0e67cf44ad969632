import * as assert from 'node:assert/strict';
import type { ServerEvent, StatusReport } from '../../../src/core/protocol/management';
import { followEvents } from '../../../src/providers/ota/eventStream';
import { StatusModel } from '../../../src/providers/statusModel';
import type { RunningServer } from '../../../src/server/startServer';
import { api, removeDir, start, tempDir, token, uploadRelease } from '../server/helpers/server';

/** The OTA view follows our server as one snapshot plus its events: the result must be what a fresh status says. */
describe('StatusModel: a snapshot plus the event stream', () => {
  let dir: string;
  let server: RunningServer;
  before(async () => {
    dir = await tempDir('ota-model-');
    server = await start(dir);
  });
  after(async () => {
    await server.close();
    await removeDir(dir);
  });

  const status = async () => (await api(server, 'GET', '/api/v1/status')).json as StatusReport;
  /** What a view shows of a report, order-free. */
  const shown = (r: StatusReport) => ({
    products: r.products.map((p) => `${p.pid}:${[...p.keys].sort().join(',')}`).sort(),
    releases: r.releases.map((x) => `${x.id} ${x.label}`).sort(),
    deployments: r.deployments.map((d) => `${d.id} ${d.state}`).sort(),
    devices: r.devices.map((d) => `${d.id} ${JSON.stringify(d.attributes)} whyNot=${d.whyNot.map((w) => w.deploymentId).join(',')}`).sort(),
    sessions: r.sessions.map((s) => `${s.id} ${s.deviceId} ${s.state}`).sort(),
  });

  it('ends where a fresh status is after releases, key bindings, a deployment and devices that are and are not offered it', async () => {
    const model = new StatusModel(await status());
    const abort = new AbortController();
    const events: ServerEvent[] = [];
    let opened!: () => void;
    const open = new Promise<void>((r) => (opened = r));
    const following = followEvents(server.url, token, (e) => events.push(e), { signal: abort.signal, onOpen: () => opened() });
    await open;

    const release = await uploadRelease(server, Buffer.alloc(2048, 1), { pid: 'P', fwKey: 'K1', channel: 'main', label: '1.1.0' });
    await api(server, 'POST', '/api/v1/products/P/keys', { keys: ['K0'] });
    const ddi = (id: string) => `${server.url}/DEFAULT/controller/v1/${id}`;
    for (const [id, key] of [['good', 'K1'], ['old', 'K9']] as const) {
      await fetch(ddi(id));
      await fetch(`${ddi(id)}/configData`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mode: 'replace', data: { pid: 'P', fw_key: key, channel: 'main', version: '1.0.0' } }) });
    }
    const deployment = (await api(server, 'POST', '/api/v1/deployments', { releaseId: release.id, type: 'forced' })).json as { id: string };
    for (const id of ['good', 'old']) await fetch(ddi(id));

    const expected = shown(await status());
    assert.ok(expected.devices.some((d) => d.startsWith('old ') && d.endsWith(`whyNot=${deployment.id}`)), JSON.stringify(expected.devices));
    assert.ok(expected.sessions.some((s) => / good offered$/.test(s)), JSON.stringify(expected.sessions));
    const deadline = Date.now() + 5000;
    for (;;) {
      for (const e of events.splice(0)) model.apply(e);
      if (JSON.stringify(shown(model.report())) === JSON.stringify(expected) || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.deepEqual(shown(model.report()), expected);
    abort.abort();
    await following;
  });

  it('ignores an event older than what the snapshot holds (the backlog a reconnect replays)', async () => {
    const report = await status();
    const device = report.devices[0]!;
    const model = new StatusModel(report);
    const older = { ...device, attributes: { ...device.attributes, version: '0.0.1' }, lastSeen: '2000-01-01T00:00:00.000Z' };
    assert.equal(model.apply({ id: 1, at: older.lastSeen, type: 'device.attributes', data: older }), false);
    assert.equal(model.report().devices.find((d) => d.id === device.id)!.attributes['version'], device.attributes['version']);
  });
});

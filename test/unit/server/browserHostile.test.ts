import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { ddiPaths } from '../../../src/core/protocol/ddi';
import type { Device, UpdateSession } from '../../../src/core/protocol/management';
import type { RunningServer } from '../../../src/server/startServer';
import { launchChromium } from '../../host/browser';
import { request } from './helpers/http';
import { eventually } from '../../helpers/eventually';
import { api, removeDir, start, tempDir, uploadRelease } from './helpers/server';

/**
 * Real pages in headless Chromium against a real server: another local site posting no-cors
 * feedback and loading device URLs as images, and a rebinding name that resolves to 127.0.0.1.
 */
describe('hostile browsers (headless Chromium)', function () {
  this.timeout(60_000);
  let dir: string;
  let server: RunningServer;
  let browser: Browser;
  let attacker: http.Server;
  let page = '';

  before(async () => {
    dir = await tempDir();
    server = await start(dir);
    attacker = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(page));
    await new Promise<void>((r) => attacker.listen(0, '127.0.0.1', r));
    browser = await launchChromium([`--host-resolver-rules=MAP rebind.attacker.example 127.0.0.1`]);
  });
  after(async () => {
    await browser?.close();
    attacker?.close();
    await server.close(0);
    await removeDir(dir);
  });

  it('refuses a page of another local origin: no-cors feedback and <img> device URLs change nothing', async () => {
    const release = await uploadRelease(server, Buffer.alloc(4096, 1), { pid: 'P', fwKey: 'K', channel: 'main', label: '1.0.1' });
    await api(server, 'POST', '/api/v1/deployments', { releaseId: release.id, devices: ['dev1'] });
    await request(server.url + ddiPaths.configData('DEFAULT', 'dev1'), { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ data: { fw_key: 'K', channel: 'main', pid: 'P' } }) });
    const poll = JSON.parse((await request(server.url + ddiPaths.base('DEFAULT', 'dev1'))).body.toString()) as { _links: { deploymentBase: { href: string } } };
    const action = /deploymentBase\/(\d+)/.exec(poll._links.deploymentBase.href)![1]!;
    const target = server.url.replace('127.0.0.1', 'localhost');
    const failure = JSON.stringify({ status: { execution: 'closed', result: { finished: 'failure' }, details: ['from a web page'] } });
    page = `<!doctype html><title>attacker</title><script>
      const marks = [];
      const done = (m) => { marks.push(m); if (marks.length === 4) document.title = 'done ' + marks.join(' '); };
      fetch(${JSON.stringify(target + ddiPaths.feedback('DEFAULT', 'dev1', action))}, { method: 'POST', mode: 'no-cors', body: ${JSON.stringify(failure)} }).then(() => done('post'), () => done('post-error'));
      fetch(${JSON.stringify(target + ddiPaths.configData('DEFAULT', 'dev1'))}, { method: 'POST', mode: 'no-cors', body: '{"data":{"fw_key":"EVIL"}}' }).then(() => done('post2'), () => done('post2-error'));
      for (const id of ['victim2', '%3Cb%3Ehtml%3C%2Fb%3E']) { const img = new Image(); img.onload = img.onerror = () => done('img'); img.src = ${JSON.stringify(target)} + '/DEFAULT/controller/v1/' + id; }
    </script>`;
    const tab = await browser.newPage();
    const answers: { url: string; status: number }[] = [];
    const sent: string[] = [];
    tab.on('request', (r) => {
      if (r.url().startsWith(target)) sent.push(r.url());
    });
    tab.on('response', (r) => {
      if (r.url().startsWith(target)) answers.push({ url: r.url(), status: r.status() });
    });
    // The attacker's page on http://127.0.0.1:OTHER; the server addressed as localhost: another site.
    await tab.goto(`http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`);
    await tab.waitForFunction("document.title.startsWith('done')");
    // Playwright reports network events asynchronously: wait for the two fetches' answers.
    await eventually(() => (answers.length >= 2 ? true : undefined), 10_000, 'the answers to the fetches');
    await tab.close();
    // All four went out; those whose answer the browser shows to the page's process (the
    // fetches; Chromium blocks a JSON answer to an <img> before it gets there) were refused.
    assert.equal(sent.length, 4, JSON.stringify(sent));
    assert.ok(answers.every((a) => a.status === 403), JSON.stringify(answers));
    const session = (await api(server, 'GET', `/api/v1/sessions/${action}`)).json as UpdateSession;
    assert.equal(session.state, 'offered', 'the page did not fail the session');
    const devices = (await api(server, 'GET', '/api/v1/devices')).json as Device[];
    assert.deepEqual(devices.map((d) => d.id), ['dev1'], 'no device made by an <img>');
    assert.equal(devices[0]!.attributes.fw_key, 'K', 'no attribute overwritten');
  });

  it('answers a rebinding name with 421, for the page and its own same-origin fetches', async () => {
    const tab = await browser.newPage();
    const url = `http://rebind.attacker.example:${server.port}${ddiPaths.base('DEFAULT', 'dev1')}`;
    const response = await tab.goto(url);
    assert.equal(response?.status(), 421);
    const fetched = await tab.evaluate(async (u) => (await fetch(u, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"data":{"fw_key":"EVIL"}}' })).status, `http://rebind.attacker.example:${server.port}${ddiPaths.configData('DEFAULT', 'dev1')}`);
    assert.equal(fetched, 421);
    await tab.close();
    const device = (await api(server, 'GET', '/api/v1/devices/dev1')).json as Device;
    assert.equal(device.attributes.fw_key, 'K');
  });
});

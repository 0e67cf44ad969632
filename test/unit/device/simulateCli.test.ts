import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { DeviceLogStream } from '../../../src/device/deviceLogStream';
import { LogParser } from '../../../src/device/parsers/logParser';
import type { DeviceEvent } from '../../../src/device/parsers/deviceEvent';
import { SerialConnection } from '../../../src/device/serial/serialConnection';
import { cliMain, runCli } from '../../helpers/runCli';
import type { SimHarness } from './helpers/simHarness';
import { simHarnessEachTest } from './helpers/simHarness';

describe('ota simulate', function () {
  this.timeout(30_000);
  let h: SimHarness;

  simHarnessEachTest(5000, (started) => (h = started));

  it('answers usage mistakes with exit code 2 and the accepted forms', async () => {
    const noServer = await runCli(['simulate']);
    assert.equal(noServer.code, 2);
    assert.match(noServer.stderr, /--server URL is required/);
    const badFault = await runCli(['simulate', '--server', h.server.url, '--fault', 'explode']);
    assert.equal(badFault.code, 2);
    assert.match(badFault.stderr, /unknown fault "explode"[^]*drop:SECONDSs@MARK/);
  });

  it('runs a small fleet for a while and prints a JSON summary', async () => {
    const ran = await runCli(['simulate', '--server', h.server.url, '--count', '3', '--pid', 'P1', '--fw-key', 'K1', '--channel', 'main', '--version', '2.0.0', '--poll', '0.5', '--duration', '3', '--json']);
    assert.equal(ran.code, 0, ran.stderr);
    const out = JSON.parse(ran.stdout) as { ok: boolean; summary: { count: number; versions: Record<string, number> }; devices: { id: string }[] };
    assert.deepEqual([out.ok, out.summary.count, out.summary.versions], [true, 3, { '2.0.0': 3 }]);
    assert.deepEqual(out.devices.map((d) => d.id), ['sim-1', 'sim-2', 'sim-3']);
    for (const id of ['sim-1', 'sim-2', 'sim-3']) assert.equal((await h.serverDevice(id))?.attributes['version'], '2.0.0');
  });

  it('--control: faults on demand from stdin, per device or for all; bad commands are explained', async () => {
    const child = spawn(process.execPath, [cliMain, 'simulate', '--server', h.server.url, '--count', '2', '--control', '--poll', '0.5', '--duration', '4', '--json'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const exitCode = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdout.resume();
    try {
      await h.online('sim-1');
      await h.online('sim-2');
      child.stdin.write('drop 2 sim-1\nstatus\nfault explode\ndrop soon\nfault self-test:fail\n');
      await h.until(() => (stderr.includes('failing self-test on 2 device(s)') ? true : undefined), 5000, 'the replies to the commands');
      assert.match(stderr, /network down for 2 s on 1 device\(s\)/);
      assert.match(stderr, /2 devices: [^\n]*offline 1/);
      assert.match(stderr, /unknown fault "explode"/);
      assert.match(stderr, /drop needs a number of seconds/);
      assert.match(stderr, /failing self-test on 2 device\(s\)/);
    } finally {
      // stdin stays open: the process must still end at --duration.
      assert.equal(await exitCode, 0, stderr);
      child.stdin.end();
    }
  });

  it('--serial-pty: the console goes to a socat pty that the serial manager reads; the pty goes away with the process', async () => {
    const child = spawn(process.execPath, [cliMain, 'simulate', '--server', h.server.url, '--serial-pty', '--poll', '0.5', '--duration', '4', '--id-prefix', 'pty'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exitCode = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const monitor = await h.until(() => /prints its console to (\S+)/.exec(stderr)?.[1], 10_000, 'the pty path on stderr');
    const connection = new SerialConnection({ path: monitor, baudRate: 115200, reconnect: false });
    try {
      assert.equal((await connection.connect()).kind, 'connected');
      const stream = new DeviceLogStream(connection, new LogParser({ device: 'pty-1', ruleSets: ['simulator', 'esp-idf'] }));
      const events: DeviceEvent[] = [];
      stream.onEvent((e) => events.push(e));
      // Lines printed before the monitor opened are gone (as with a board), so wait for ones that repeat.
      const poll = await h.until(() => events.find((e) => e.kind === 'poll'), 10_000, 'a "polling" line');
      const noUpdate = await h.until(() => events.find((e) => e.kind === 'no-update' && e.time >= poll.time), 10_000, 'a "no update offered" line');
      assert.equal(noUpdate.device, 'pty-1');
      assert.equal((await h.serverDevice('pty-1'))?.attributes['fw_key'], 'K1');
    } finally {
      await connection.disconnect();
      connection.dispose();
    }
    assert.equal(await exitCode, 0, stderr);
    assert.equal(existsSync(monitor), false, 'socat was stopped with the simulator');
  });
});

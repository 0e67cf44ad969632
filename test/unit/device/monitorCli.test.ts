import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DeviceEvent } from '../../../src/device/parsers/deviceEvent';
import { cliMain, runCli } from '../../helpers/runCli';
import { fixtureLog } from './helpers/fixtureLogs';
import { setTimeout as delay } from 'node:timers/promises';
import { openPtyPair } from '../../../src/device/simulator/ptyPair';
import type { PtyPair } from '../../../src/device/simulator/ptyPair';

/** Runs `ota monitor`, feeding `log` into the device end once the monitor says it is connected. */
async function monitorWhileWriting(pair: PtyPair, args: string[], log?: Buffer, cwd?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [cliMain, 'monitor', pair.monitor, ...args], { stdio: ['ignore', 'pipe', 'pipe'], ...(cwd ? { cwd } : {}) });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  const connected = new Promise<void>((resolve) =>
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      if (stderr.includes(': connected')) resolve();
    }),
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await Promise.race([connected, exited]);
  if (log) {
    const handle = await fs.open(pair.device, 'w');
    for (let i = 0; i < log.length; i += 256) {
      await handle.write(log.subarray(i, i + 256));
      await delay(1);
    }
    await handle.close();
  }
  return { code: await exited, stdout, stderr };
}

describe('ota monitor', function () {
  this.timeout(20_000);
  let dir: string;
  let pair: PtyPair;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ota-monitor-'));
    pair = await openPtyPair(dir);
  });

  afterEach(async () => {
    await pair.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('prints normalized events as JSON lines and exits 0 once the device confirms its update (--until)', async () => {
    const ran = await monitorWhileWriting(pair, ['--parser', 'esp-idf', '--device', 'lab-1', '--json', '--until', 'confirmed', '--duration', '10'], readFileSync(fixtureLog('esp-idf-ota.log')));
    assert.equal(ran.code, 0, ran.stderr);
    const events = ran.stdout.trim().split('\n').map((l) => JSON.parse(l) as DeviceEvent);
    assert.equal(events.at(-1)?.kind, 'confirmed');
    assert.deepEqual(events.filter((e) => e.source === 'esp-idf/app-version').map((e) => [e.device, e.version]), [
      ['lab-1', '1.0.0'],
      ['lab-1', '1.0.1'],
    ]);
  });

  it('reads a configured device with its own log rules from .vscode/ota.json (--device NAME)', async () => {
    const workspace = path.join(dir, 'ws');
    await fs.mkdir(path.join(workspace, '.vscode'), { recursive: true });
    const config = {
      products: [{ pid: 'p1', name: 'Plug', firmwareKeys: ['K9'] }],
      channels: [],
      devices: [
        {
          name: 'bench',
          deviceId: 'bench-1',
          logParser: 'plain',
          logRules: [{ name: 'banner', pattern: '^MYFW v(?<version>\\S+) key=(?<fwKey>\\w+) ch=(?<channel>\\w+)', kind: 'app-info', state: 'running' }],
        },
      ],
    };
    await fs.writeFile(path.join(workspace, '.vscode', 'ota.json'), JSON.stringify(config));
    const log = Buffer.from('booting...\r\nI (31) boot: ESP-IDF v5.0 2nd stage bootloader\r\nMYFW v2.3.4 key=K9 ch=beta\r\n');
    const ran = await monitorWhileWriting(pair, ['--device', 'bench', '--json', '--until', 'app-info', '--duration', '10'], log, workspace);
    assert.equal(ran.code, 0, ran.stderr);
    const events = ran.stdout.trim().split('\n').map((l) => JSON.parse(l) as DeviceEvent);
    // "plain" from the config: the ESP-IDF bootloader line makes no event, the user's rule does.
    assert.deepEqual(
      events.map((e) => [e.device, e.kind, e.version, e.fwKey, e.channel, e.state]),
      [['bench', 'app-info', '2.3.4', 'K9', 'beta', 'running']],
    );
    assert.match(events[0]!.source, /banner/);
    // A broken config is an error that names the file, not a silent fallback.
    await fs.writeFile(path.join(workspace, '.vscode', 'ota.json'), '{ "products": [ }');
    const broken = await monitorWhileWriting(pair, ['--device', 'bench'], undefined, workspace);
    assert.equal(broken.code, 1);
    assert.match(broken.stderr, /ota\.json/);
  });

  it('exits 1 on a --fail-on event, naming the line', async () => {
    const ran = await monitorWhileWriting(pair, ['--parser', 'esp-idf', '--fail-on', 'rollback', '--until', 'confirmed', '--duration', '10'], readFileSync(fixtureLog('esp-idf-rollback.log')));
    assert.equal(ran.code, 1);
    assert.match(ran.stderr, /rollback: .*Diagnostics failed! Start rollback to the previous version/);
    assert.match(ran.stdout, /App version: {6}1\.0\.2/, 'the console itself is printed as received');
  });

  it('exits 1 when the awaited event does not come in time, and lists configured ports', async () => {
    const ran = await monitorWhileWriting(pair, ['--until', 'confirmed', '--duration', '0.5']);
    assert.equal(ran.code, 1);
    assert.match(ran.stderr, /no confirmed event within 0\.5 s/);
    const listed = await runCli(['monitor', '--list', '--port', `${pair.monitor},${path.join(dir, 'gone')}`, '--json']);
    const ports = JSON.parse(listed.stdout) as { path: string; source: string; present: boolean }[];
    assert.deepEqual(
      ports.filter((p) => p.source === 'config').map((p) => [path.basename(p.path), p.present]),
      [
        ['monitor', true],
        ['gone', false],
      ],
    );
    const bad = await runCli(['monitor', pair.monitor, '--until', 'exploded']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown event kind 'exploded'/);
  });
});

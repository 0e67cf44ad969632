import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DeviceEvent } from '../../../src/device/parsers/deviceEvent';
import { cliMain, runCli } from '../server/helpers/child';
import { fixtureLog } from './helpers/fixtureLogs';
import { delay, openPtyPair } from './helpers/ptyPair';
import type { PtyPair } from './helpers/ptyPair';

/** Runs `ota monitor`, feeding `log` into the device end once the monitor says it is connected. */
async function monitorWhileWriting(pair: PtyPair, args: string[], log?: Buffer): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [cliMain, 'monitor', pair.a, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
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
    const handle = await fs.open(pair.b, 'w');
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
    const listed = await runCli(['monitor', '--list', '--port', `${pair.a},${path.join(dir, 'gone')}`, '--json']);
    const ports = JSON.parse(listed.stdout) as { path: string; source: string; present: boolean }[];
    assert.deepEqual(
      ports.filter((p) => p.source === 'config').map((p) => [path.basename(p.path), p.present]),
      [
        ['a', true],
        ['gone', false],
      ],
    );
    const bad = await runCli(['monitor', pair.a, '--until', 'exploded']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown event kind 'exploded'/);
  });
});

/**
 * Soak: 2,000 simulated DDI devices (10 % of them with faults: network drops and power cuts
 * mid-download) update from `ota serve` while 20 hostile clients attack it for the whole run
 * (oversized and nested attributes, made-up device ids, cross-origin and rebinding requests,
 * stalled sockets, range amplification, huge feedback). Prints how many honest devices finished,
 * corrupted installs (a device running the new version whose slot differs from the release),
 * 5xx answers to the attackers, and the server's peak RSS; then restarts the server on the same
 * data and checks it starts. Loopback only; bounded in time (--seconds, default 120) and count.
 * Usage: node out/bench/serverSoak.js [--devices 2000] [--seconds 120]
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import * as http from 'node:http';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ddiPaths } from '../src/core/protocol/ddi';
import { SimFleet } from '../src/device/simulator/fleet';
import { parseFault } from '../src/device/simulator/faults';
import { buildSyntheticEspImage } from '../src/device/simulator/syntheticImage';
import { ManagementClient } from '../src/providers/ota/managementClient';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function rssKiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
}

function startServe(cli: string, data: string, tokenFile: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--data', data, '--token-file', tokenFile, '--offline-timeout', '30'], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr!.resume();
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.on('exit', (code) => reject(new Error(`ota serve exited with ${code}: ${out}`)));
  });
}

/** One raw request; resolves with the status (0 when the connection failed). */
function send(url: string, options: { method?: string; headers?: Record<string, string>; body?: string }): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(0));
    });
    req.on('error', () => resolve(0));
    req.end(options.body);
  });
}

/** The attacks, one after another, until `stop`; counts answers by status. */
async function attacker(n: number, url: string, port: number, fw: string, stop: AbortSignal, codes: Map<number, number>): Promise<void> {
  const count = (c: number) => codes.set(c, (codes.get(c) ?? 0) + 1);
  const json = { 'content-type': 'application/json' };
  let made = 0;
  for (let round = 0; !stop.aborted; round++) {
    switch ((n + round) % 8) {
      case 0:
        count(await send(url + ddiPaths.configData('DEFAULT', `attacker-${n}`), { method: 'PUT', headers: json, body: JSON.stringify({ data: { blob: 'a'.repeat(500_000) } }) }));
        break;
      case 1:
        count(await send(url + ddiPaths.base('DEFAULT', `made-up-${n}-${made++}`), {}));
        break;
      case 2:
        count(await send(url + ddiPaths.feedback('DEFAULT', 'honest-0001', '1'), { method: 'POST', headers: { 'content-type': 'text/plain', origin: 'http://localhost:9' }, body: '{"status":{"execution":"closed","result":{"finished":"failure"}}}' }));
        break;
      case 3:
        count(await send(url + ddiPaths.base('DEFAULT', 'honest-0002'), { headers: { host: `rebind.attacker.example:${port}` } }));
        break;
      case 4:
        count(await send(url + ddiPaths.configData('DEFAULT', `attacker-${n}`), { method: 'PUT', headers: json, body: `{"data":{"x":${'['.repeat(10_000)}${']'.repeat(10_000)}}}` }));
        break;
      case 5:
        count(await send(fw, { headers: { range: `bytes=${Array.from({ length: 16 }, () => '0-').join(',')}` } }));
        break;
      case 6: {
        // A stalled request: half the headers, then silence. The idle timeout closes it; do not wait.
        const s = net.connect(port, '127.0.0.1');
        s.on('error', () => undefined);
        s.write(`GET /DEFAULT/controller/v1/x HTTP/1.1\r\nHost: 127.0.0.1\r\n`);
        setTimeout(() => s.destroy(), 40_000).unref();
        break;
      }
      case 7:
        count(await send(url + ddiPaths.feedback('OTHER', 'honest-0003', '1'), { method: 'POST', headers: json, body: JSON.stringify({ status: { execution: 'proceeding', result: { finished: 'none' }, details: ['d'.repeat(900_000)] } }) }));
        break;
    }
    await sleep(20);
  }
}

async function main(): Promise<void> {
  const devices = arg('devices', 2000);
  const seconds = arg('seconds', 120);
  const faulty = Math.round(devices / 10);
  const dir = await mkdtemp(join(tmpdir(), 'ota-soak-'));
  const tokenFile = join(dir, 'token');
  await writeFile(tokenFile, 'soak\n');
  const cli = join(__dirname, '../src/cli/main.js');
  const data = join(dir, 'data');
  let { child, url } = await startServe(cli, data, tokenFile);
  const port = Number(new URL(url).port);
  const stop = new AbortController();
  try {
    const factory = buildSyntheticEspImage({ version: '1.0.0', size: 16 * 1024 });
    const update = buildSyntheticEspImage({ version: '1.0.1', size: 16 * 1024 });
    const client = new ManagementClient(url, 'soak');
    const file = join(dir, 'fw.bin');
    await writeFile(file, update);
    const release = await client.pushFile(file, { pid: 'P', fwKey: 'K', channel: 'main', label: '1.0.1' });
    const device = { server: url, pid: 'P', fwKey: 'K', channel: 'main', factoryImage: factory, pollIntervalMs: 5000, rebootMs: 300, installMs: 100, selfTestMs: 100, retryMs: 2000 };
    const fleets = [
      new SimFleet({ count: devices - faulty, idPrefix: 'honest', dir: join(dir, 'honest'), startSpreadMs: 15_000, device }),
      new SimFleet({ count: faulty / 2, idPrefix: 'drop', dir: join(dir, 'drop'), startSpreadMs: 15_000, device: { ...device, faults: [parseFault('drop:3s@40%')] } }),
      new SimFleet({ count: faulty / 2, idPrefix: 'power', dir: join(dir, 'power'), startSpreadMs: 15_000, device: { ...device, faults: [parseFault('power-loss@60%')] } }),
    ];
    const all = fleets.flatMap((f) => f.devices);
    // A signal of its own for each fleet: each sets its listener limit for its own size.
    const running = fleets.map((f) => {
      const own = new AbortController();
      stop.signal.addEventListener('abort', () => own.abort(), { once: true });
      return f.run(own.signal);
    });
    await client.deploy({ releaseId: release.id });

    let peak = await rssKiB(child.pid!);
    const sampler = setInterval(() => void rssKiB(child.pid!).then((r) => (peak = Math.max(peak, r))).catch(() => undefined), 500);
    const codes = new Map<number, number>();
    const attackers = Array.from({ length: 20 }, (_, n) => attacker(n, url, port, `${url}/fw/${release.id}/fw.bin`, stop.signal, codes));
    const started = Date.now();
    let finished = 0;
    while (Date.now() - started < seconds * 1000) {
      finished = all.filter((d) => d.runningVersion === '1.0.1').length;
      await sleep(1000);
    }
    finished = all.filter((d) => d.runningVersion === '1.0.1').length;
    stop.abort();
    clearInterval(sampler);
    await Promise.all([...running, ...attackers]);

    // A device running 1.0.1 must hold exactly the release's bytes in its active slot.
    const expected = createHash('sha256').update(update).digest('hex');
    let corrupted = 0;
    for (const d of all) {
      if (d.runningVersion !== '1.0.1') continue;
      const base = join(dir, d.id.split('-')[0]!, d.id);
      const record = JSON.parse(await readFile(join(base, 'otadata.json'), 'utf8')) as { active: number };
      const slot = await readFile(join(base, `slot${record.active}.bin`));
      if (createHash('sha256').update(slot.subarray(0, update.length)).digest('hex') !== expected) corrupted++;
    }
    const status = await client.status(undefined, { limit: 1, offset: 0 });
    const fiveXx = [...codes].filter(([c]) => c >= 500).reduce((n, [, k]) => n + k, 0);
    process.stdout.write(`${devices} devices (${faulty} with faults: ${faulty / 2} network drops, ${faulty / 2} power cuts) + 20 hostile clients for ${seconds} s\n`);
    process.stdout.write(`finished on 1.0.1: ${finished}/${devices} (honest ${fleets[0]!.devices.filter((d) => d.runningVersion === '1.0.1').length}/${devices - faulty}); corrupted installs: ${corrupted}\n`);
    process.stdout.write(`attackers' answers: ${[...codes].sort((a, b) => a[0] - b[0]).map(([c, k]) => `${c}×${k}`).join(' ')}; 5xx: ${fiveXx}\n`);
    process.stdout.write(`server peak RSS ${(peak / 1024).toFixed(1)} MiB; devices known ${status.totals?.devices}, sessions ${status.totals?.sessions}\n`);
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    const t0 = Date.now();
    ({ child, url } = await startServe(cli, data, tokenFile));
    const again = await new ManagementClient(url, 'soak').status(undefined, { limit: 1, offset: 0 });
    process.stdout.write(`restart: listening again in ${Date.now() - t0} ms with ${again.totals?.devices} devices, RSS ${((await rssKiB(child.pid!)) / 1024).toFixed(1)} MiB\n`);
  } finally {
    stop.abort();
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once('exit', r)));
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});

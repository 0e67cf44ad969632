/**
 * Benchmark: 2,000 devices, each held to 20 kbps, download a 64 KiB image from our server at
 * once, the way esp_https_ota's partial download does it (4 KiB Range requests over one
 * keep-alive connection, paced to the rate). Prints the server's peak RSS and CPU time and how
 * many devices finished with a verified SHA-256. The server runs as `ota serve` in a child process
 * so its memory and CPU are its own. Loopback only; bounded by --timeout.
 * `--stream` instead: one GET per device, read at the rate (the client pauses the response; the
 * kernel's socket buffers on loopback hold much of a 64 KiB image, so this loads the server less).
 * Usage: node out/bench/serverThrottledDownloads.js [--devices 2000] [--kbps 20] [--size 65536] [--chunk 4096] [--stream] [--timeout 120]
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UpdateSession } from '../src/core/protocol/management';
import { ManagementClient } from '../src/providers/ota/managementClient';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function procStats(pid: number): Promise<{ rssKiB: number; hwmKiB: number; cpuSec: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const stat = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  // Fields 14 and 15 (utime, stime) in clock ticks; index from the field after the command name.
  return { rssKiB: kib('VmRSS'), hwmKiB: kib('VmHWM'), cpuSec: (Number(stat[11]) + Number(stat[12])) / 100 };
}

function get(agent: http.Agent, url: string, range: string): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers: { range } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/** One device: 4 KiB Range requests, each only when the average rate allows it. */
async function device(id: number, url: string, size: number, chunk: number, bitsPerSec: number, expected: string): Promise<'ok' | string> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const started = Date.now();
  const parts: Buffer[] = [];
  let have = 0;
  try {
    while (have < size) {
      const due = started + ((have * 8) / bitsPerSec) * 1000;
      if (due > Date.now()) await sleep(due - Date.now());
      let r;
      for (let attempt = 0; ; attempt++) {
        try {
          r = await get(agent, `${url}&device=bench-${id}`, `bytes=${have}-${have + chunk - 1}`);
          break;
        } catch (err) {
          // A refused or reset connect under the burst of 2,000: retry like a device would.
          if (attempt >= 5) throw err;
          await sleep(200 * (attempt + 1));
        }
      }
      if (r.status !== 206) return `HTTP ${r.status} at ${have}`;
      parts.push(r.body);
      have += r.body.length;
    }
    const got = createHash('sha256').update(Buffer.concat(parts)).digest('hex');
    return got === expected ? 'ok' : 'hash mismatch';
  } catch (err) {
    return (err as Error).message;
  } finally {
    agent.destroy();
  }
}

/** One device, one GET, read no faster than the rate. */
async function streamingDevice(id: number, url: string, bitsPerSec: number, expected: string): Promise<'ok' | string> {
  return new Promise((resolve) => {
    const started = Date.now();
    const hash = createHash('sha256');
    let have = 0;
    const req = http.get(`${url}&device=bench-${id}`, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        resolve(`HTTP ${res.statusCode}`);
        return;
      }
      res.on('data', (c: Buffer) => {
        hash.update(c);
        have += c.length;
        const due = started + ((have * 8) / bitsPerSec) * 1000;
        if (due > Date.now()) {
          res.pause();
          setTimeout(() => res.resume(), due - Date.now());
        }
      });
      res.on('end', () => resolve(hash.digest('hex') === expected ? 'ok' : 'hash mismatch'));
      res.on('error', (err) => resolve(err.message));
    });
    req.on('error', (err) => resolve(err.message));
  });
}

async function main(): Promise<void> {
  const devices = arg('devices', 2000);
  const kbps = arg('kbps', 20);
  const size = arg('size', 64 * 1024);
  const chunk = arg('chunk', 4096);
  const timeoutSec = arg('timeout', 120);
  const dir = await mkdtemp(join(tmpdir(), 'ota-bench-throttled-'));
  const tokenFile = join(dir, 'token');
  await writeFile(tokenFile, 'bench\n');
  const cli = join(__dirname, '../src/cli/main.js');
  const server = spawn(process.execPath, [cli, 'serve', '--port', '0', '--data', join(dir, 'data'), '--token-file', tokenFile, '--offline-timeout', '60'], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      server.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /listening on (\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      server.on('exit', (code) => reject(new Error(`server exited ${code}`)));
    });
    const image = Buffer.concat([Buffer.from([0xe9]), randomBytes(size - 1)]);
    const file = join(dir, 'fw.bin');
    await writeFile(file, image);
    const client = new ManagementClient(url, 'bench');
    const release = await client.pushFile(file, { pid: 'P', fwKey: 'K', channel: 'main', label: '1.0.1' });
    await client.deploy({ releaseId: release.id });

    const pid = server.pid!;
    const before = await procStats(pid);
    let peakRss = before.rssKiB;
    const sampler = setInterval(() => void procStats(pid).then((s) => (peakRss = Math.max(peakRss, s.rssKiB))).catch(() => undefined), 200);
    const started = Date.now();
    const fwUrl = `${url}/fw/${release.id}/fw.bin?key=K&channel=main`;
    const deadline = sleep(timeoutSec * 1000).then(() => 'timeout' as const);
    const stream = process.argv.includes('--stream');
    const all = Promise.all(
      Array.from({ length: devices }, (_, i) =>
        sleep((i % 200) * 5).then(() => (stream ? streamingDevice(i, fwUrl, kbps * 1000, release.sha256) : device(i, fwUrl, size, chunk, kbps * 1000, release.sha256))),
      ),
    );
    const outcome = await Promise.race([all, deadline]);
    clearInterval(sampler);
    const after = await procStats(pid);
    const wall = (Date.now() - started) / 1000;
    const results = outcome === 'timeout' ? [] : outcome;
    const ok = results.filter((r) => r === 'ok').length;
    const failures = new Map<string, number>();
    for (const r of results) if (r !== 'ok') failures.set(r, (failures.get(r) ?? 0) + 1);
    // Sessions come a page at a time.
    const sessions: UpdateSession[] = [];
    for (let offset = 0; ; offset += 1000) {
      const page = (await client.status(undefined, { limit: 1000, offset })).sessions;
      sessions.push(...page);
      if (page.length < 1000) break;
    }
    const status = { sessions };
    const slow = status.sessions.filter((s) => s.slow).length;
    const downloaded = status.sessions.filter((s) => s.state === 'downloaded').length;
    const cpu = after.cpuSec - before.cpuSec;
    process.stdout.write(`${devices} devices at ${kbps} kbps, ${size} B image ${stream ? 'in one GET each, read at the rate' : `in ${chunk} B Range requests`}\n`);
    process.stdout.write(`finished with a verified sha256: ${ok}/${devices}${outcome === 'timeout' ? ` (timed out after ${timeoutSec} s)` : ''}   wall ${wall.toFixed(1)} s\n`);
    for (const [reason, n] of failures) process.stdout.write(`  failed: ${n} × ${reason}\n`);
    process.stdout.write(`server peak RSS ${(Math.max(peakRss, after.hwmKiB) / 1024).toFixed(1)} MiB (target <= 256), CPU ${cpu.toFixed(1)} s = ${((cpu / wall) * 100).toFixed(0)}% of one core on average\n`);
    process.stdout.write(`server sessions: ${status.sessions.length} total, ${downloaded} downloaded, ${slow} flagged under the minimum bandwidth\n`);
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});

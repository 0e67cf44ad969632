/**
 * Benchmark: 4 KiB Range GETs of a 1 MiB artifact over 64 keep-alive connections, our server vs
 * nginx serving the same file on loopback, both measured by wrk in the same run.
 * Usage: node out/bench/serverRangeGets.js [--seconds 10] [--rounds 5] [--connections 64] [--threads 2] [--no-pin]
 * Needs: nginx (Debian nginx-light) and wrk on PATH.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManagementClient } from '../src/providers/ota/managementClient';

interface WrkResult {
  requestsPerSec: number;
  p99Ms: number;
  errors: string;
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} exited ${code}: ${out}`))));
  });
}

/**
 * Each server on CPU 0 and wrk on the others, when the machine has two or more CPUs: the servers
 * are single-threaded (nginx runs one worker), so each gets one whole core and the load generator
 * never steals it. Unpinned, the scheduler's placement of wrk's threads next to the server swings
 * a round by ±20 %. `--no-pin` turns it off.
 */
const pin = !process.argv.includes('--no-pin') && cpus().length >= 2 && spawnSync('taskset', ['-c', '0', 'true']).status === 0;
const loadCpus = `1-${cpus().length - 1}`;

function pinned(cpu: string, cmd: string, args: string[]): [string, string[]] {
  return pin ? ['taskset', ['-c', cpu, cmd, ...args]] : [cmd, args];
}

function toMs(value: string, unit: string): number {
  const n = Number(value);
  return unit === 'us' ? n / 1000 : unit === 's' ? n * 1000 : n;
}

function parseWrk(out: string): WrkResult {
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
  const p99 = /^\s+99%\s+([\d.]+)(us|ms|s)\s*$/m.exec(out);
  if (!rps || !p99) throw new Error(`cannot read wrk output:\n${out}`);
  const errors = /(Non-2xx or 3xx responses: \d+|Socket errors: .+)/g;
  return { requestsPerSec: Number(rps[1]), p99Ms: toMs(p99[1]!, p99[2]!), errors: [...out.matchAll(errors)].map((m) => m[1]).join('; ') };
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

function bareServer(file: string, port: number): string {
  return `const http = require('node:http'); const data = require('node:fs').readFileSync(${JSON.stringify(file)});
http.createServer((req, res) => {
  const m = /^bytes=(\\d+)-(\\d+)$/.exec(req.headers.range || '');
  if (!m) { res.writeHead(200, { 'Content-Length': data.length }); res.end(data); return; }
  const s = Number(m[1]), e = Math.min(Number(m[2]), data.length - 1);
  res.writeHead(206, { 'Content-Type': 'application/octet-stream', 'Content-Range': 'bytes ' + s + '-' + e + '/' + data.length, 'Content-Length': e - s + 1 });
  res.end(data.subarray(s, e + 1));
}).listen(${port}, '127.0.0.1');`;
}

async function startOtaServe(dir: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const cli = join(__dirname, '..', '..', 'dist', 'cli.js');
  const tokenFile = join(dir, 'token');
  await writeFile(tokenFile, 'bench\n', { mode: 0o600 });
  const port = await freePort();
  const child = spawn(...pinned('0', process.execPath, [cli, 'serve', '--port', String(port), '--data', join(dir, 'ota'), '--token-file', tokenFile]), { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`ota serve did not start in 15 s (is dist/cli.js built? npm run bench builds it):\n${output}`)), 15_000);
    child.stdout.on('data', (c: Buffer) => {
      output += c.toString();
      if (output.includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`ota serve exited with ${code}:\n${output}`)));
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function main(): Promise<void> {
  const seconds = arg('seconds', 10);
  const connections = arg('connections', 64);
  const threads = arg('threads', 2);
  const dir = await mkdtemp(join(tmpdir(), 'ota-bench-range-'));
  const image = randomBytes(1024 * 1024);
  const script = join(dir, 'range.lua');
  // Random 4 KiB-aligned ranges across the whole MiB, as a chunked esp_https_ota download would ask.
  await writeFile(script, ['math.randomseed(os.time())', 'request = function()', '  local s = math.random(0, 255) * 4096', '  wrk.headers["Range"] = "bytes=" .. s .. "-" .. (s + 4095)', '  return wrk.format(nil)', 'end', ''].join('\n'));
  const wrk = async (url: string) => parseWrk(await run(...pinned(loadCpus, 'wrk', ['-t', String(threads), '-c', String(connections), '-d', `${seconds}s`, '--latency', '-s', script, url])));

  // Our server as it is deployed: `ota serve` from the bundled CLI, in a process of its own, like
  // nginx and the bare node server (sharing the bench harness's process it measured slower).
  const ours = await startOtaServe(dir);
  let nginx: ReturnType<typeof spawn> | undefined;
  let bare: ReturnType<typeof spawn> | undefined;
  try {
    const file = join(dir, 'fw.bin');
    await writeFile(file, image);
    const release = await new ManagementClient(ours.url, 'bench').pushFile(file, { pid: 'P', fwKey: 'K', channel: 'main', label: '1' });

    const www = join(dir, 'www');
    await mkdir(www);
    await writeFile(join(www, 'fw.bin'), image);
    await chmod(dir, 0o755);
    const port = await freePort();
    const conf = join(dir, 'nginx.conf');
    // One worker: the same single core our Node server gets. Logging off on both sides.
    await writeFile(
      conf,
      `worker_processes 1;\ndaemon off;\npid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\n${process.getuid?.() === 0 ? 'user root;\n' : ''}events { worker_connections 1024; }\nhttp {\n  access_log off;\n  sendfile on;\n  keepalive_requests 1000000;\n  client_body_temp_path ${dir}/tmp;\n  proxy_temp_path ${dir}/tmp;\n  fastcgi_temp_path ${dir}/tmp;\n  uwsgi_temp_path ${dir}/tmp;\n  scgi_temp_path ${dir}/tmp;\n  server {\n    listen 127.0.0.1:${port};\n    root ${www};\n  }\n}\n`,
    );
    nginx = spawn(...pinned('0', 'nginx', ['-c', conf, '-p', dir]), { stdio: 'ignore' });
    // The platform's ceiling for reference: bare node:http answering the same ranges from memory,
    // no routing, no validation, no sessions. The gap between it and nginx is Node's, not ours.
    const barePort = await freePort();
    bare = spawn(...pinned('0', process.execPath, ['-e', bareServer(join(www, 'fw.bin'), barePort)]), { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 500));

    const ourUrl = `${ours.url}/fw/${release.id}/fw.bin`;
    const nginxUrl = `http://127.0.0.1:${port}/fw.bin`;
    // Warm both (page cache, JIT), then alternate rounds: the machine is shared, so one round
    // each could catch a neighbour's burst on one side only. The median round decides.
    await wrk(ourUrl).catch(() => undefined);
    const rounds = arg('rounds', 5);
    const line = (name: string, r: WrkResult) => `${name.padEnd(12)} ${r.requestsPerSec.toFixed(0).padStart(9)} req/s   p99 ${r.p99Ms.toFixed(2).padStart(7)} ms${r.errors ? `   (${r.errors})` : ''}`;
    process.stdout.write(`4 KiB Range GETs of a 1 MiB file, ${connections} keep-alive connections, ${seconds} s per run, wrk -t${threads}, nginx with 1 worker${pin ? `; servers on CPU 0, wrk on CPU ${loadCpus}` : ''}\n`);
    const ratios: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const n = await wrk(nginxUrl);
      const o = await wrk(ourUrl);
      const b = await wrk(`http://127.0.0.1:${barePort}/fw.bin`);
      ratios.push(o.requestsPerSec / n.requestsPerSec);
      process.stdout.write(
        `round ${i + 1}\n  ${line('nginx', n)}\n  ${line('ota server', o)}\n  ${line('bare node', b)}\n` +
          `  ratio ota/nginx ${(o.requestsPerSec / n.requestsPerSec).toFixed(2)}x req/s, p99 ${(o.p99Ms / n.p99Ms).toFixed(2)}x; bare node/nginx ${(b.requestsPerSec / n.requestsPerSec).toFixed(2)}x\n`,
      );
    }
    const median = [...ratios].sort((a, b) => a - b)[Math.floor(ratios.length / 2)]!;
    process.stdout.write(`median ratio ota/nginx: ${median.toFixed(2)}x req/s, lowest round ${Math.min(...ratios).toFixed(2)}x (target: median >= 0.80, no round under 0.70)\n`);
  } finally {
    nginx?.kill('SIGQUIT');
    bare?.kill();
    await ours.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});

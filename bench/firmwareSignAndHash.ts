/**
 * Benchmark: hash (MD5 + SHA-256 + HMAC-SHA256) and MCUboot-sign a 16 MiB image in-process, against
 * `openssl dgst -md5` + `openssl dgst -sha256` on the same file in the same run, and against
 * `imgtool sign` (as a whole process) when an imgtool is on PATH. Prints ratios and peak memory;
 * it never fails on timing.
 * Usage: node out/bench/firmwareSignAndHash.js [--mib 16] [--rounds 5]
 * Needs: openssl on PATH; imgtool optional (pip install imgtool).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { existsSync } from 'node:fs';
import { deviceHmacSha256 } from '../src/core/hashing/deviceHmac';
import { digestFile } from '../src/core/hashing/digestFile';
import { parseMcubootVersion } from '../src/core/image/mcubootVersion';
import { generateSigningKey } from '../src/core/signing/generateKey';
import type { KeyKind } from '../src/core/signing/keyKind';
import { loadSigningKey } from '../src/core/signing/loadKey';
import { signMcubootImage } from '../src/core/signing/mcubootSign';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

function runProcess(cmd: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Number(process.hrtime.bigint() - started) / 1e6) : reject(new Error(`${cmd} exited ${code}: ${err}`))));
  });
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** Median of `rounds` runs after one warm-up (page cache, JIT). */
async function median(rounds: number, fn: () => Promise<number>): Promise<number> {
  await fn();
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) samples.push(await fn());
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Writes the image in 1 MiB pieces so the benchmark's own setup does not inflate peak memory. */
async function makeImage(path: string, mib: number): Promise<void> {
  const handle = await open(path, 'w');
  try {
    for (let i = 0; i < mib; i++) await handle.write(randomBytes(1 << 20));
  } finally {
    await handle.close();
  }
}

const fmt = (ms: number) => `${ms.toFixed(1).padStart(7)} ms`;
const ratio = (ms: number, ref: number) => `${(ms / ref).toFixed(2)}x`;

/** Runs one signing in a child process and returns how far it raised that process's peak RSS (MiB). */
function memoryProbe(image: string, keyPath: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [__filename, '--memory-probe', image, keyPath], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Number(out.trim())) : reject(new Error(`memory probe exited ${code}`))));
  });
}

async function probeMain(image: string, keyPath: string): Promise<void> {
  const { readFile } = await import('node:fs/promises');
  const key = loadSigningKey({ label: 'probe', pem: await readFile(keyPath, 'utf8') });
  const dir = await mkdtemp(join(tmpdir(), 'ota-bench-probe-'));
  const sign = (input: string, out: string) => signMcubootImage({ input, output: join(dir, out), key, version: parseMcubootVersion('1.0.0'), headerSize: 0x200, padHeader: true, hmacSecret: Buffer.from('s') });
  // Warm up on a tiny image: starts the hashing worker and compiles the code paths.
  await writeFile(join(dir, 'tiny.bin'), Buffer.alloc(4096));
  await sign(join(dir, 'tiny.bin'), 'tiny.out');
  const before = process.resourceUsage().maxRSS;
  await sign(image, 'big.out');
  process.stdout.write(`${(process.resourceUsage().maxRSS - before) / 1024}\n`);
  await rm(dir, { recursive: true, force: true });
}

async function main(): Promise<void> {
  const mib = arg('mib', 16);
  const rounds = arg('rounds', 5);
  const dir = await mkdtemp(join(tmpdir(), 'ota-bench-sign-'));
  try {
    const image = join(dir, 'payload.bin');
    await makeImage(image, mib);
    const secret = Buffer.from('bench device secret');
    const keys: Partial<Record<KeyKind, string>> = {};
    for (const kind of ['ed25519', 'rsa-3072', 'ecdsa-p256'] as const) {
      keys[kind] = join(dir, `${kind}.pem`);
      await writeFile(keys[kind]!, (await generateSigningKey(kind)).privatePem);
    }
    const rssBefore = process.resourceUsage().maxRSS;

    const { readFile } = await import('node:fs/promises');
    const kinds = Object.keys(keys) as KeyKind[];
    const signingKeys = await Promise.all(kinds.map(async (kind) => loadSigningKey({ label: kind, pem: await readFile(keys[kind]!, 'utf8') })));
    // Every measurement gets one sample per round, interleaved, so a burst of load on a shared
    // machine hits the reference and ours alike instead of skewing one of them.
    const jobs: Array<[string, () => Promise<number>]> = [
      ['md5', () => runProcess('openssl', ['dgst', '-md5', image])],
      ['sha256', () => runProcess('openssl', ['dgst', '-sha256', image])],
      ['hash', () => time(() => digestFile(image, { hmacSecret: secret }))],
      ...kinds.map((kind, i): [string, () => Promise<number>] => [
        kind,
        () => time(() => signMcubootImage({ input: image, output: join(dir, `signed-${kind}.bin`), key: signingKeys[i]!, version: parseMcubootVersion('1.2.3+4'), headerSize: 0x200, padHeader: true, align: 4, hmacSecret: secret })),
      ]),
    ];
    const samples = new Map<string, number[]>(jobs.map(([name]) => [name, []]));
    for (let round = 0; round <= rounds; round++) {
      for (const [name, fn] of jobs) {
        const ms = await fn();
        if (round > 0) samples.get(name)!.push(ms); // round 0 warms the page cache and the JIT
      }
    }
    const med = (name: string) => {
      const list = [...samples.get(name)!].sort((a, b) => a - b);
      return list[Math.floor(list.length / 2)]!;
    };
    const md5Ms = med('md5');
    const shaMs = med('sha256');
    const reference = md5Ms + shaMs;
    console.log(`${mib} MiB image, median of ${rounds} interleaved rounds (after one warm-up), ${process.platform}/${process.arch}, node ${process.version}, load average ${loadavg()[0]!.toFixed(1)}`);
    console.log(`reference  openssl dgst -md5 + openssl dgst -sha256 (processes)  ${fmt(reference)}   (md5 ${md5Ms.toFixed(1)} + sha256 ${shaMs.toFixed(1)})`);
    const hashMs = med('hash');
    console.log(`ours       MD5 + SHA-256 + HMAC-SHA256, one streamed pass           ${fmt(hashMs)}   ${ratio(hashMs, reference)} reference`);
    const signed: Partial<Record<KeyKind, number>> = {};
    for (const kind of kinds) {
      signed[kind] = med(kind);
      const verdict = signed[kind]! <= 1.5 * reference ? 'within' : 'OVER';
      console.log(`ours       sign ${kind.padEnd(10)} + MD5/SHA-256/HMAC of the output, written  ${fmt(signed[kind]!)}   ${ratio(signed[kind]!, reference)} reference (target <= 1.5x: ${verdict})`);
    }

    const devices = 10_000;
    const sha = (await digestFile(image)).sha256;
    const perDevice = await time(async () => {
      for (let i = 0; i < devices; i++) deviceHmacSha256(Buffer.from(`device-${i}`), sha);
    });
    console.log(`per-device HMAC over the image digest: ${devices} devices in ${perDevice.toFixed(1)} ms (${((perDevice * 1000) / devices).toFixed(1)} us each, no pass over the image)`);

    const imgtool = onPath('imgtool');
    if (!imgtool) {
      console.log('imgtool    skipped: no imgtool on PATH (pip install imgtool to compare; target: ours >= 5x faster)');
    } else {
      for (const kind of ['ed25519', 'rsa-3072'] as const) {
        const out = join(dir, `imgtool-${kind}.bin`);
        const ms = await median(Math.min(rounds, 3), () =>
          runProcess(imgtool, ['sign', '-k', keys[kind]!, '--version', '1.2.3+4', '--header-size', '0x200', '--pad-header', '--slot-size', `0x${(mib * 2 << 20).toString(16)}`, '--align', '4', image, out]),
        );
        const speedup = ms / signed[kind]!;
        console.log(`imgtool    sign ${kind.padEnd(10)} (whole process)                      ${fmt(ms)}   ours (in this warm process) is ${speedup.toFixed(1)}x faster (target >= 5x: ${speedup >= 5 ? 'met' : 'NOT met'})`);
      }
    }
    if (imgtool) console.log('           (ours signs inside this already running process; npm run bench -- cli compares whole processes, ota sign against imgtool sign)');
    const probe = await memoryProbe(image, keys['rsa-3072']!);
    console.log(`peak memory: signing the ${mib} MiB image once (fresh process, worker already started) raised max RSS by ${probe.toFixed(1)} MiB`);
    console.log(`             this process after all runs: max RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB (${((process.resourceUsage().maxRSS - rssBefore) / 1024).toFixed(0)} MiB over the start, mostly garbage not yet collected)`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const probeAt = process.argv.indexOf('--memory-probe');
void (probeAt > 0 ? probeMain(process.argv[probeAt + 1]!, process.argv[probeAt + 2]!) : main()).catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

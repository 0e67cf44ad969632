/**
 * Benchmark: `ota` as CI pipelines and terminals run it, one whole process per command, against a
 * reference run in the same rounds: `node -e 0` (node's own start-up) for `ota version` and
 * `ota --help`, and `imgtool sign` (when on PATH) for `ota sign` on a 40 KB and a 16 MiB payload.
 * Each round runs every command once, ours and its reference back to back, so a burst of load on
 * a shared machine hits both; the figures are medians of the rounds after one warm-up round.
 * It checks that both signers wrote the same bytes (Ed25519 signatures are deterministic) and
 * never fails on a time.
 * Usage: node out/bench/cliStartup.js [--rounds 15]   (npm run bench -- cli; builds dist/ first)
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { generateSigningKey } from '../src/core/signing/generateKey';

const cli = join(__dirname, '..', '..', 'dist', 'cli.js');

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Wall time of one whole process, from spawn to exit; a failure stops the benchmark. */
function wallMs(command: readonly string[]): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(command[0]!, command.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${command.join(' ')} exited ${result.status ?? result.signal}: ${result.stderr.toString()}`);
  return ms;
}

interface Pair {
  what: string;
  ours: readonly string[];
  reference?: { name: string; command: readonly string[] };
  /** Ours over the reference must stay at or below this. */
  target?: number;
}

const median = (list: readonly number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

async function main(): Promise<void> {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first (npm run bench does)`);
  const rounds = arg('rounds', 15);
  const dir = await mkdtemp(join(tmpdir(), 'ota-bench-cli-'));
  try {
    const key = join(dir, 'ed25519.pem');
    await writeFile(key, (await generateSigningKey('ed25519')).privatePem);
    const imgtool = onPath('imgtool');
    const pairs: Pair[] = [
      { what: 'ota version', ours: [process.execPath, cli, 'version'], reference: { name: 'node -e 0', command: [process.execPath, '-e', '0'] }, target: 1.3 },
      { what: 'ota --help', ours: [process.execPath, cli, '--help'], reference: { name: 'node -e 0', command: [process.execPath, '-e', '0'] } },
    ];
    const outputs: [string, string, string][] = [];
    for (const [label, bytes, target] of [['40 KB', 40_000, 0.8], ['16 MiB', 16 << 20, 0.6]] as const) {
      const payload = join(dir, `payload-${bytes}.bin`);
      await writeFile(payload, randomBytes(bytes));
      const ours = join(dir, `ota-${bytes}.bin`);
      const theirs = join(dir, `imgtool-${bytes}.bin`);
      const common = ['--version', '1.2.3+4', '--header-size', '0x200', '--pad-header', '--slot-size', `0x${(2 * Math.max(bytes, 1 << 20)).toString(16)}`, '--align', '4'];
      pairs.push({
        what: `ota sign Ed25519, ${label}`,
        ours: [process.execPath, cli, 'sign', payload, '-k', key, ...common, '-o', ours],
        ...(imgtool ? { reference: { name: `imgtool sign, ${label}`, command: [imgtool, 'sign', '-k', key, ...common, payload, theirs] }, target } : {}),
      });
      if (imgtool) outputs.push([label, ours, theirs]);
    }

    const samples = pairs.map(() => ({ ours: [] as number[], reference: [] as number[] }));
    for (let round = 0; round <= rounds; round++) {
      pairs.forEach((pair, i) => {
        // Alternate which one goes first, so neither always runs on a just-warmed cache.
        const order = round % 2 === 0 ? (['ours', 'reference'] as const) : (['reference', 'ours'] as const);
        for (const side of order) {
          const command = side === 'ours' ? pair.ours : pair.reference?.command;
          if (!command) continue;
          const ms = wallMs(command);
          if (round > 0) samples[i]![side].push(ms); // round 0 warms the page cache
        }
      });
    }

    console.log(`whole processes, median of ${rounds} paired rounds (after one warm-up), ${process.platform}/${process.arch}, node ${process.version}, load average ${loadavg()[0]!.toFixed(1)}`);
    pairs.forEach((pair, i) => {
      const ours = median(samples[i]!.ours);
      if (!pair.reference) {
        console.log(`${pair.what.padEnd(26)} ${ours.toFixed(1).padStart(7)} ms   reference skipped: no imgtool on PATH (pip install imgtool to compare)`);
        return;
      }
      const reference = median(samples[i]!.reference);
      const ratio = ours / reference;
      const verdict = pair.target === undefined ? '' : `   (target <= ${pair.target}x: ${ratio <= pair.target ? 'met' : 'NOT met'})`;
      console.log(`${pair.what.padEnd(26)} ${ours.toFixed(1).padStart(7)} ms   ${pair.reference.name.padEnd(20)} ${reference.toFixed(1).padStart(7)} ms   ratio ${ratio.toFixed(2)}x${verdict}`);
    });
    for (const [label, ours, theirs] of outputs) console.log(`output ${label}: ${sha256(ours) === sha256(theirs) ? 'byte-identical to imgtool' : 'DIFFERENT from imgtool'}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

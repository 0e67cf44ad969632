/**
 * Benchmark: `ota stress` over 200 simulated devices × 3 cycles against the real server, all in
 * this process (server, runner, devices), on loopback. The reference, measured first in the same
 * run and the same process: one plain update of the same fleet (upload, deploy, wait for every
 * session through the management API) — so the ratio is what the runner's work costs on top of
 * three bare update rounds. Prints wall time, the ratio, and this process's RSS before and at peak.
 * Usage: node out/bench/stressRun.js [--devices 200] [--cycles 3]
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireWorkspaceConfig } from '../src/core/config/loader';
import { silentLogger } from '../src/core/logger';
import { reportsRoot } from '../src/core/plan/writeReport';
import type { UpdateSession } from '../src/core/protocol/management';
import { createRelease } from '../src/core/release/createRelease';
import { loadSigningKey } from '../src/core/signing/loadKey';
import { PlanFleet } from '../src/device/simulator/planFleet';
import { OtaProvider } from '../src/providers/ota/otaProvider';
import { runStress } from '../src/providers/plan/stressRun';
import { waitForDevicesOnline } from '../src/providers/plan/waitForOutcomes';
import { startServer } from '../src/server/startServer';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

function rssMiB(): { rss: number; peak: number } {
  const status = readFileSync('/proc/self/status', 'utf8');
  const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}

const repo = join(__dirname, '..', '..');
const token = 'bench-token-0123456789abcdef';

async function main(): Promise<void> {
  const count = arg('devices', 200);
  const cycles = arg('cycles', 3);
  const dir = await mkdtemp(join(tmpdir(), 'ota-bench-stress-'));
  const folder = join(dir, 'ws');
  mkdirSync(join(folder, '.vscode'), { recursive: true });
  mkdirSync(join(folder, 'build'));
  copyFileSync(join(repo, 'test', 'fixtures', 'esp-idf', 'esp_idf_blink_esp32s2.bin'), join(folder, 'build', 'blink.bin'));
  const keyPem = readFileSync(join(repo, 'test', 'fixtures', 'mcuboot', 'root-ed25519.pem'), 'utf8');
  writeFileSync(
    join(folder, '.vscode', 'ota.json'),
    JSON.stringify({
      products: [{ pid: 'p1', name: 'Plug', firmwareKeys: ['k1'] }],
      channels: [{ name: 'main', pid: 'p1', firmwareKey: 'k1', format: 'esp-idf', artifact: 'build/blink.bin', version: { source: 'fixed', value: '1.0.0' } }],
    }),
  );
  const channel = (await requireWorkspaceConfig(folder)).config.channels[0]!;
  const key = loadSigningKey({ label: 'root-ed25519.pem (MCUboot test key)', pem: keyPem });
  const releasesRoot = join(folder, '.ota', 'releases');
  const first = await createRelease({ channel, folder, releasesRoot, mode: { kind: 'release' }, restamp: false, build: false, key, production: false, buildOptions: { env: {} }, log: silentLogger });
  const server = await startServer({ dataDir: join(dir, 'server'), port: 0, token, settings: { pollingSleepSec: 1 } });
  const provider = new OtaProvider('bench', server.url, token);
  const fleet = await PlanFleet.start({ count, server: server.url, pid: 'p1', fwKey: 'k1', channel: 'main', factoryImage: await readFile(first.artifactPath), behaviour: 'plain', faults: [], pollIntervalMs: 1000 });
  const abort = new AbortController();
  try {
    await waitForDevicesOnline(provider, fleet.ids, { timeoutMs: 120_000, signal: abort.signal });
    const before = rssMiB();
    // Reference: one bare round — upload the image, deploy, poll until every session has ended.
    const t0 = performance.now();
    const release = await provider.client.pushFile(first.artifactPath, { pid: 'p1', fwKey: 'k1', channel: 'main', label: '0.9.0' });
    const deployment = await provider.client.deploy({ releaseId: release.id, type: 'forced' });
    for (;;) {
      const sessions = (await provider.client.status(undefined, { limit: 5000, offset: 0 })).sessions.filter((s: UpdateSession) => s.deploymentId === deployment.id);
      if (sessions.length === count && sessions.every((s) => s.state === 'succeeded' || s.state === 'failed' || s.state === 'cancelled')) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const reference = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    const done = await runStress({
      channel,
      folder,
      releasesRoot,
      reportsRoot: reportsRoot(folder),
      key,
      production: false,
      provider,
      boundKeys: ['k1'],
      waitFor: fleet.ids,
      cycleTimeoutMs: 600_000,
      pollMs: 1000,
      parameters: { cycles, simulate: count },
      cycles,
      signal: abort.signal,
      log: silentLogger,
      beforeCycle: () => fleet.armFaults(),
    });
    const wall = (performance.now() - t1) / 1000;
    const after = rssMiB();
    const ok = done.report.results.filter((r) => r.result === 'succeeded').length;
    process.stdout.write(`devices ${count}, cycles ${cycles}: ${ok}/${count * cycles} device-cycles succeeded; report ${done.dir}\n`);
    process.stdout.write(`reference (one bare upload + deploy + wait round): ${reference.toFixed(1)} s\n`);
    process.stdout.write(`ota stress ${cycles} cycles: ${wall.toFixed(1)} s wall = ${(wall / (cycles * reference)).toFixed(2)} × ${cycles} bare rounds\n`);
    process.stdout.write(`RSS of this process (server + runner + ${count} devices): ${before.rss.toFixed(0)} MiB before, ${after.rss.toFixed(0)} MiB after, peak ${after.peak.toFixed(0)} MiB\n`);
  } finally {
    abort.abort();
    await fleet.stop();
    await server.close(0);
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});

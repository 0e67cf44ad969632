/**
 * `npm run bench [-- NAME…]`: runs the benchmarks one after another, each in its own process so
 * their memory figures stay apart. sign and range print ratios against a reference measured in the
 * same run (openssl and imgtool, nginx); fleet has no reference and prints absolute figures (the
 * server's peak RSS and CPU time, how many devices verified their image). None of them passes or
 * fails on a time.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const benchmarks: Record<string, { file: string; what: string }> = {
  sign: { file: 'firmwareSignAndHash.js', what: 'hash + sign a 16 MiB image in a warm process vs openssl dgst (and imgtool, a whole process, when on PATH)' },
  cli: { file: 'cliStartup.js', what: 'ota as whole processes: version vs node -e 0, sign (40 KB, 16 MiB) vs imgtool sign when on PATH' },
  range: { file: 'serverRangeGets.js', what: '4 KiB Range GETs over 64 keep-alive connections vs nginx, with wrk' },
  fleet: { file: 'serverThrottledDownloads.js', what: '2,000 devices at 20 kbps downloading a 64 KiB image: RSS, CPU, verified hashes' },
  live: { file: 'liveViewLongTasks.js', what: 'the live view in headless Chromium: 20,000 devices, 1,000 events/s for 15 s; longest main-thread task vs the 100 ms target' },
  stress: { file: 'stressRun.js', what: 'ota stress over 200 simulated devices × 3 cycles vs one bare upload + deploy + wait round of the same fleet: wall time, RSS' },
  soak: { file: 'serverSoak.js', what: '2,000 simulated devices (10 % faulty) + 20 hostile clients for 2 minutes: finished, corrupted installs, RSS, restart' },
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in benchmarks));
if (unknown.length) {
  process.stderr.write(`unknown benchmark ${unknown.join(', ')}; choose from ${Object.keys(benchmarks).join(', ')}\n`);
  process.exit(2);
}
let failed = 0;
for (const name of wanted.length ? wanted : Object.keys(benchmarks)) {
  const { file, what } = benchmarks[name]!;
  process.stdout.write(`\n== ${name}: ${what}\n`);
  const result = spawnSync(process.execPath, [join(__dirname, file)], { stdio: 'inherit', timeout: 15 * 60_000 });
  if (result.status !== 0) {
    failed++;
    process.stderr.write(`${name}: exited with ${result.status ?? result.signal}\n`);
  }
}
process.exit(failed ? 1 : 0);

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CliContext, CommandRun } from '../command';
import { listFlag, stringFlag } from '../args';
import { usageError, writeJson } from '../cliOutput';
import { integerFlag } from '../numberFlags';
import { acceptControlCommands } from '../simulateControl';
import { OtaError } from '../../core/errors';
import type { Fault } from '../../device/simulator/faults';
import { faultSyntax, parseFault } from '../../device/simulator/faults';
import { SimFleet } from '../../device/simulator/fleet';
import type { FleetSummary } from '../../device/simulator/fleet';
import { openPtyPair } from '../../device/simulator/ptyPair';
import type { PtyPair } from '../../device/simulator/ptyPair';
import type { DeviceBehaviour } from '../../device/simulator/simDeviceTypes';
import { buildSyntheticEspImage, buildSyntheticMcubootImage } from '../../device/simulator/syntheticImage';

const behaviours: readonly DeviceBehaviour[] = ['plain', 'esp-idf', 'mcuboot'];

export const simulateCommand: CommandRun = (ctx) => simulate(ctx);

async function simulate(ctx: CliContext): Promise<number> {
  const parsed = ctx.parsed;
  const faultTexts = listFlag(parsed, 'fault');
  if (parsed.positionals.length) return usageError(ctx, `unexpected argument '${parsed.positionals[0]}'`);
  const server = stringFlag(parsed, 'server');
  if (!server) return usageError(ctx, '--server URL is required (e.g. http://127.0.0.1:8080 from ota serve)');
  if (!/^https?:\/\/[^/]+/.test(server)) return usageError(ctx, `--server '${server}' is not an http(s) URL`);
  const count = positiveInt(stringFlag(parsed, 'count') ?? '1', 'count');
  const duration = stringFlag(parsed, 'duration');
  const poll = stringFlag(parsed, 'poll');
  const behaviour = (stringFlag(parsed, 'behaviour') ?? 'plain') as DeviceBehaviour;
  if (!behaviours.includes(behaviour)) return usageError(ctx, `--behaviour must be one of ${behaviours.join(', ')}`);
  const protocol = stringFlag(parsed, 'protocol') ?? 'ddi';
  if (protocol !== 'ddi' && protocol !== 'arduino') return usageError(ctx, '--protocol must be ddi or arduino');
  // Which Arduino core's updater to speak as, and the free sketch space it reports and checks.
  const arduinoCore = stringFlag(parsed, 'arduino-core');
  if (arduinoCore !== undefined && arduinoCore !== 'esp32' && arduinoCore !== 'esp8266') return usageError(ctx, '--arduino-core must be esp32 or esp8266');
  const freeSketchSpace = integerFlag(parsed, 'free-space');
  // Whose hawkBit client a DDI device speaks as: ours, or Zephyr's (its part, limits and feedback).
  const hawkbitClient = stringFlag(parsed, 'hawkbit-client');
  if (hawkbitClient !== undefined && hawkbitClient !== 'workbench' && hawkbitClient !== 'zephyr') return usageError(ctx, '--hawkbit-client must be workbench or zephyr');
  if (hawkbitClient !== undefined && protocol !== 'ddi') return usageError(ctx, '--hawkbit-client goes with --protocol ddi');
  if ((arduinoCore !== undefined || freeSketchSpace !== undefined) && protocol !== 'arduino') return usageError(ctx, '--arduino-core and --free-space go with --protocol arduino');
  let faults: Fault[];
  try {
    faults = faultTexts.map(parseFault);
  } catch (err) {
    if (err instanceof OtaError) return usageError(ctx, `${err.message}\nfaults:\n  ${faultSyntax.join('\n  ')}`);
    throw err;
  }
  const version = stringFlag(parsed, 'version') ?? '1.0.0';
  const imageFile = stringFlag(parsed, 'image');
  const factoryImage = imageFile
    ? await readFile(resolve(ctx.cwd, imageFile)).catch((err: unknown) => {
        throw new OtaError(`cannot read ${imageFile}`, { where: '--image', hint: 'pass the firmware the devices run at start', cause: err });
      })
    : behaviour === 'mcuboot'
      ? buildSyntheticMcubootImage({ version })
      : buildSyntheticEspImage({ version });
  const keyFile = stringFlag(parsed, 'bootloader-key');
  const bootloaderKeyPem = keyFile
    ? await readFile(resolve(ctx.cwd, keyFile), 'utf8').catch((err: unknown) => {
        throw new OtaError(`cannot read ${keyFile}`, { where: '--bootloader-key', hint: 'pass the PEM key the MCUboot bootloader is built with (public or private)', cause: err });
      })
    : undefined;
  const secretEnv = stringFlag(parsed, 'secret-env');
  const secret = secretEnv ? ctx.env[secretEnv] : undefined;
  if (secretEnv && !secret) throw new OtaError(`environment variable ${secretEnv} is empty`, { where: '--secret-env', hint: 'export the device secret first' });
  // Without --dir the devices' flash is scratch space: made here, removed at exit.
  const keepDir = stringFlag(parsed, 'dir');
  const dir = keepDir ? resolve(ctx.cwd, keepDir) : await mkdtemp(join(tmpdir(), 'ota-simulate-'));
  const json = parsed.flags.get('json') === true;

  const fleet = new SimFleet({
    count,
    dir,
    idPrefix: stringFlag(parsed, 'id-prefix') ?? 'sim',
    device: {
      server,
      pid: stringFlag(parsed, 'pid') ?? 'P1',
      fwKey: stringFlag(parsed, 'fw-key') ?? 'K1',
      channel: stringFlag(parsed, 'channel') ?? 'main',
      version,
      factoryImage,
      behaviour,
      protocol,
      ...(arduinoCore ? { arduinoCore } : {}),
      ...(hawkbitClient ? { hawkbitClient } : {}),
      ...(freeSketchSpace !== undefined ? { freeSketchSpace } : {}),
      faults,
      ...(secret ? { secret } : {}),
      ...(bootloaderKeyPem ? { bootloaderKeyPem } : {}),
      ...(poll ? { pollIntervalMs: positiveNumber(poll, 'poll') * 1000 } : {}),
    },
  });
  const first = fleet.devices[0]!;
  let pty: PtyPair | undefined;
  if (parsed.flags.get('serial-pty') === true) {
    pty = await openPtyPair(join(dir, 'pty'));
    await first.console.attachPty(pty.device);
    ctx.stderr.write(`info: serial: ${first.id} prints its console to ${pty.monitor} (open it with any serial monitor${count > 1 ? '; the other devices have none' : ''})\n`);
  } else if (count === 1 && !json) {
    first.console.onLine((line) => ctx.stdout.write(`${line.text}\n`));
  }
  ctx.stderr.write(`info: ${count} simulated device${count === 1 ? '' : 's'} → ${server} (flash in ${dir}${keepDir ? '' : ', removed at exit'})${faults.length ? `; faults: ${faultTexts.join(', ')}` : ''}\n`);

  const stop = new AbortController();
  const onAbort = () => stop.abort(ctx.signal.reason);
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  const timer = duration ? setTimeout(() => stop.abort(new OtaError('duration reached')), positiveNumber(duration, 'duration') * 1000) : undefined;
  const report = count > 1 || json ? setInterval(() => printSummary(ctx, fleet.summary(), json), 2000) : undefined;
  // --control: faults on demand, one command per line on stdin (drop 10, fault power-loss@install, status).
  const stopControl = parsed.flags.get('control') === true ? acceptControlCommands(process.stdin, fleet, ctx.stderr) : undefined;
  try {
    await fleet.run(stop.signal);
  } finally {
    stopControl?.();
    if (timer) clearTimeout(timer);
    if (report) clearInterval(report);
    ctx.signal.removeEventListener('abort', onAbort);
    await Promise.all(fleet.devices.map((d) => d.console.close()));
    await pty?.close();
    if (!keepDir) await rm(dir, { recursive: true, force: true });
  }
  const summary = fleet.summary();
  if (json) writeJson(ctx, { ok: true, summary, devices: fleet.devices.map((d) => ({ id: d.id, version: d.runningVersion, phase: d.phase, stats: d.stats })) });
  else if (count > 1) printSummary(ctx, summary, false);
  return 0;
}

function printSummary(ctx: CliContext, s: FleetSummary, json: boolean): void {
  if (json) {
    ctx.stderr.write(`${JSON.stringify(s)}\n`);
    return;
  }
  const phases = Object.entries(s.phases).map(([k, v]) => `${k} ${v}`).join(', ');
  const versions = Object.entries(s.versions).map(([k, v]) => `${k}×${v}`).join(' ');
  ctx.stdout.write(`${s.count} devices: ${phases}; versions ${versions}; installs ${s.installs}, rollbacks ${s.rollbacks}\n`);
}

function positiveInt(text: string, name: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > 100_000) throw new OtaError(`--${name} '${text}' must be a whole number from 1`, { code: 'usage' });
  return n;
}

function positiveNumber(text: string, name: string): number {
  const n = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || n <= 0) throw new OtaError(`--${name} '${text}' must be a positive number of seconds`, { code: 'usage' });
  return n;
}

import { existsSync } from 'node:fs';
import type { CliContext, CommandRun } from '../command';
import { stringFlag } from '../args';
import { usageError, writeJson } from '../cliOutput';
import { requireWorkspaceConfig } from '../../core/config/loader';
import { sharedConfigPath } from '../../core/config/paths';
import { OtaError } from '../../core/errors';
import { DeviceLogStream } from '../../device/deviceLogStream';
import { LogParser, ruleSetsFor } from '../../device/parsers/logParser';
import type { LogRule } from '../../device/parsers/logRule';
import { compileUserRules } from '../../device/parsers/userRules';
import { deviceEventKinds } from '../../device/parsers/deviceEvent';
import type { DeviceEvent } from '../../device/parsers/deviceEvent';
import { describeSerialState } from '../../device/serial/serialState';
import { SerialManager } from '../../device/serial/serialManager';


export const monitorCommand: CommandRun = async (ctx) => {
  const parsed = ctx.parsed;
  const json = parsed.flags.get('json') === true;
  const manager = new SerialManager();
  try {
    if (parsed.flags.get('list') === true) {
      const extra = (stringFlag(parsed, 'port') ?? '').split(',').map((p) => p.trim()).filter(Boolean);
      const ports = await manager.list(extra);
      if (json) writeJson(ctx, ports);
      else for (const p of ports) ctx.stdout.write(`${p.path}\t${p.source}${p.present ? '' : ' (absent)'}${p.manufacturer ? `\t${p.manufacturer}` : ''}\n`);
      return 0;
    }
    const path = parsed.positionals[0];
    if (!path || parsed.positionals.length > 1) return usageError(ctx, path ? `unexpected argument '${parsed.positionals[1]}'` : 'name the serial port (ota monitor --list shows them)');
    const baud = Number(stringFlag(parsed, 'baud') ?? '115200');
    if (!Number.isInteger(baud) || baud <= 0) return usageError(ctx, `--baud '${stringFlag(parsed, 'baud')}' is not a baud rate`);
    const deviceName = stringFlag(parsed, 'device');
    const configured = deviceName !== undefined ? await configuredDevice(ctx, deviceName) : undefined;
    const parser = stringFlag(parsed, 'parser') ?? configured?.logParser ?? 'auto';
    if (!['esp-idf', 'zephyr', 'mcuboot', 'arduino', 'simulator', 'plain', 'auto'].includes(parser)) return usageError(ctx, `unknown --parser '${parser}'`);
    const until = kinds(stringFlag(parsed, 'until'));
    const failOn = kinds(stringFlag(parsed, 'fail-on'));
    const duration = stringFlag(parsed, 'duration');
    const seconds = duration === undefined ? undefined : Number(duration);
    if (seconds !== undefined && !(seconds > 0)) return usageError(ctx, `--duration '${duration}' must be a positive number of seconds`);
    return await monitor(ctx, manager, { path, baud, parser, userRules: configured?.userRules ?? [], device: deviceName ?? path, json, until, failOn, ...(seconds ? { seconds } : {}) });
  } finally {
    manager.dispose();
  }
};

/**
 * The device of that name in the workspace config, when there is one: its log format (unless
 * --parser says otherwise) and its own log rules.
 */
async function configuredDevice(ctx: CliContext, name: string): Promise<{ logParser: string; userRules: LogRule[] } | undefined> {
  if (!existsSync(sharedConfigPath(ctx.cwd))) return undefined;
  const { config } = await requireWorkspaceConfig(ctx.cwd);
  const index = config.devices.findIndex((d) => d.name === name);
  if (index < 0) return undefined;
  const device = config.devices[index]!;
  return { logParser: device.logParser, userRules: compileUserRules(device.logRules ?? [], `devices[${index}].logRules`) };
}

interface MonitorOptions {
  path: string;
  baud: number;
  parser: string;
  userRules: readonly LogRule[];
  device: string;
  json: boolean;
  until: string[];
  failOn: string[];
  seconds?: number;
}

async function monitor(ctx: CliContext, manager: SerialManager, o: MonitorOptions): Promise<number> {
  const connection = await manager.connect({ path: o.path, baudRate: o.baud });
  ctx.stderr.write(`info: ${describeSerialState(o.path, connection.state)}\n`);
  connection.onState((state) => ctx.stderr.write(`info: ${describeSerialState(o.path, state)}\n`));
  const stream = new DeviceLogStream(connection, new LogParser({ device: o.device, ruleSets: ruleSetsFor(o.parser), userRules: o.userRules }));
  if (!o.json) connection.onLine((line) => ctx.stdout.write(`${line.text}\n`));
  const outcome = await new Promise<{ code: number; why: string }>((resolve) => {
    const timer = o.seconds ? setTimeout(() => resolve(o.until.length ? { code: 1, why: `no ${o.until.join(' or ')} event within ${o.seconds} s` } : { code: 0, why: '' }), o.seconds * 1000) : undefined;
    const done = (result: { code: number; why: string }) => {
      if (timer) clearTimeout(timer);
      ctx.signal.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const onAbort = () => done({ code: 0, why: '' });
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    stream.onEvent((event: DeviceEvent) => {
      if (o.json) ctx.stdout.write(`${JSON.stringify(event)}\n`);
      if (o.failOn.includes(event.kind)) done({ code: 1, why: `${event.kind}: ${event.line}` });
      else if (o.until.includes(event.kind)) done({ code: 0, why: '' });
    });
  });
  stream.dispose();
  await connection.disconnect();
  if (outcome.why) ctx.stderr.write(`error: ota monitor: ${outcome.why}\n`);
  return outcome.code;
}

function kinds(text: string | undefined): string[] {
  const list = (text ?? '').split(',').map((k) => k.trim()).filter(Boolean);
  const unknown = list.find((k) => !(deviceEventKinds as readonly string[]).includes(k));
  if (unknown) throw new OtaError(`unknown event kind '${unknown}' (use: ${deviceEventKinds.join(', ')})`, { code: 'usage' });
  return list;
}

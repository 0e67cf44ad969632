import * as path from 'node:path';
import type { Deployment, Device, Release, UpdateSession } from '../../../../src/core/protocol/management';
import { LogParser } from '../../../../src/device/parsers/logParser';
import type { DeviceEvent } from '../../../../src/device/parsers/deviceEvent';
import { SimulatedDevice } from '../../../../src/device/simulator/simulatedDevice';
import type { SimDeviceOptions } from '../../../../src/device/simulator/simDeviceTypes';
import type { ServerSettings } from '../../../../src/server/context';
import type { RunningServer } from '../../../../src/server/startServer';
import { startServer } from '../../../../src/server/startServer';
import { api, removeDir, start, tempDir, token, uploadRelease } from '../../server/helpers/server';
import { eventually } from '../../../helpers/eventually';

/**
 * A fresh harness for each test of the calling suite (closed after it, devices and all); `use`
 * receives each one, e.g. `simHarnessEachTest(5000, (started) => (h = started))`.
 */
export function simHarnessEachTest(offlineTimeoutMs: number, use: (h: SimHarness) => void): void {
  let current: SimHarness | undefined;
  beforeEach(async () => {
    current = await SimHarness.start(offlineTimeoutMs);
    use(current);
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
}

/** The real OTA server started in-process on 127.0.0.1, plus the simulated devices talking to it. */
export class SimHarness {
  private readonly running: { device: SimulatedDevice; stop: () => Promise<void> }[] = [];
  /** Devices whose run() threw (not a stop): a crash fails the waits at once, and the test at close. */
  private readonly crashes: { id: string; error: unknown }[] = [];

  private constructor(
    public server: RunningServer,
    readonly dir: string,
    private readonly settings: Partial<ServerSettings>,
  ) {}

  static async start(offlineTimeoutMs: number, options: { tls?: boolean; settings?: Partial<ServerSettings> } = {}): Promise<SimHarness> {
    const dir = await tempDir('ota-sim-');
    // Poll every second at most, so a device notices a new deployment quickly.
    const settings = { offlineTimeoutMs, pollingSleepSec: 1, ...options.settings };
    const server = options.tls
      ? await startServer({ dataDir: path.join(dir, 'server'), port: 0, token, tls: true, settings })
      : await start(path.join(dir, 'server'), settings);
    return new SimHarness(server, dir, settings);
  }

  /**
   * Stops the server and starts it again on the same data directory and port, as after a crash
   * or an upgrade: the devices keep running and reach it again by themselves.
   */
  async restart(): Promise<RunningServer> {
    const port = this.server.port;
    const tls = this.server.caCertPem !== undefined;
    await this.server.close(0);
    this.server = await startServer({ dataDir: path.join(this.dir, 'server'), port, token, settings: this.settings, ...(tls ? { tls } : {}) });
    return this.server;
  }

  /** Starts a device; its console is parsed into `events` with the same parser a serial port uses. */
  device(options: Partial<SimDeviceOptions> & { id: string }, consolePty?: string): { device: SimulatedDevice; events: DeviceEvent[]; lines: string[] } {
    const device = new SimulatedDevice({
      server: this.server.url,
      pid: 'P1',
      fwKey: 'K1',
      channel: 'main',
      dir: path.join(this.dir, 'devices', options.id),
      pollIntervalMs: 250,
      rebootMs: 200,
      installMs: 100,
      selfTestMs: 100,
      retryMs: 250,
      ...(this.server.caCertPem ? { caPem: this.server.caCertPem } : {}),
      ...options,
    });
    const parser = new LogParser({ device: options.id, ruleSets: ['simulator', 'esp-idf', 'mcuboot', 'arduino'] });
    const events: DeviceEvent[] = [];
    const lines: string[] = [];
    device.console.onLine((line) => {
      lines.push(line.text);
      const event = parser.parse(line);
      if (event) events.push(event);
    });
    const abort = new AbortController();
    // With a pty, the console is attached before the first line, so a monitor misses nothing.
    const done = (consolePty ? device.console.attachPty(consolePty) : Promise.resolve()).then(() => device.run(abort.signal));
    // run() ends quietly when stopped and throws only when the device itself fails.
    done.catch((error: unknown) => this.crashes.push({ id: options.id, error }));
    const stop = async () => {
      abort.abort();
      await done.catch(() => undefined);
      await device.console.close();
    };
    this.running.push({ device, stop });
    return { device, events, lines };
  }

  async release(image: Buffer, label: string, extra: { fwKey?: string; channel?: string; part?: string } = {}): Promise<Release> {
    return uploadRelease(this.server, image, { pid: 'P1', fwKey: extra.fwKey ?? 'K1', channel: extra.channel ?? 'main', label, ...(extra.part ? { part: extra.part } : {}) });
  }

  async deploy(release: Release, devices?: string[]): Promise<Deployment> {
    const reply = await api(this.server, 'POST', '/api/v1/deployments', { releaseId: release.id, ...(devices ? { devices } : {}) });
    if (reply.status !== 201) throw new Error(`deploy: ${reply.status} ${reply.body.toString()}`);
    return reply.json as Deployment;
  }

  async sessions(deviceId: string): Promise<UpdateSession[]> {
    const all = (await api(this.server, 'GET', '/api/v1/sessions')).json as UpdateSession[];
    return all.filter((s) => s.deviceId === deviceId).sort((a, b) => Number(a.id) - Number(b.id));
  }

  async serverDevice(deviceId: string): Promise<Device | undefined> {
    const all = (await api(this.server, 'GET', '/api/v1/devices')).json as Device[];
    return all.find((d) => d.id === deviceId);
  }

  /**
   * The device's attributes once it has reported its firmware key. A first poll registers a device
   * with no attributes; only its configData makes the key/channel policy decide on what it reports.
   */
  async online(deviceId: string, ms = 10_000): Promise<Record<string, string>> {
    return this.until(async () => {
      const attributes = (await this.serverDevice(deviceId))?.attributes;
      return attributes?.['fw_key'] !== undefined ? attributes : undefined;
    }, ms, `${deviceId} to report its attributes`);
  }

  /** The device's latest session once it has ended (succeeded, failed or cancelled). */
  async ended(deviceId: string, ms = 15_000, after?: string): Promise<UpdateSession> {
    return this.until(async () => {
      const s = (await this.sessions(deviceId)).filter((x) => after === undefined || Number(x.id) > Number(after)).at(-1);
      return s && ['succeeded', 'failed', 'cancelled'].includes(s.state) ? s : undefined;
    }, ms, `an ended session for ${deviceId}`);
  }

  /** `until`, failing at once (with the device's own error) when a simulated device has crashed. */
  until<T>(check: () => T | undefined | Promise<T | undefined>, ms: number, what: string): Promise<T> {
    return eventually(async () => {
      this.throwIfCrashed();
      return check();
    }, ms, what);
  }

  throwIfCrashed(): void {
    const crash = this.crashes[0];
    if (crash) throw new Error(`simulated device ${crash.id} crashed: ${crash.error instanceof Error ? crash.error.stack ?? crash.error.message : String(crash.error)}`, { cause: crash.error });
  }

  /** Stops everything, then fails if a device crashed on the way (after cleaning up, so nothing leaks). */
  async close(): Promise<void> {
    await Promise.all(this.running.map((r) => r.stop()));
    await this.server.close(0);
    await removeDir(this.dir);
    this.throwIfCrashed();
  }
}

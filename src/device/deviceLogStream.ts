import { Emitter } from './emitter';
import type { Disposable } from './emitter';
import type { LogParser } from './parsers/logParser';
import type { DeviceEvent, DeviceOtaState } from './parsers/deviceEvent';
import type { ReceivedLine } from './serial/lineAssembler';

/** What a device's log has told us so far: what a status line or tree item shows. */
export interface DeviceSnapshot {
  state?: DeviceOtaState;
  version?: string;
  progress?: number;
  fwKey?: string;
  channel?: string;
  lastEvent?: DeviceEvent;
}

/** Anything that produces lines: a serial connection, a simulator's console, a replayed file. */
export interface LineSource {
  onLine(listener: (line: ReceivedLine) => void): Disposable;
}

/** Lines in, normalized events out, plus the running picture of the device they add up to. */
export class DeviceLogStream implements Disposable {
  private readonly eventEmitter = new Emitter<DeviceEvent>();
  readonly onEvent = this.eventEmitter.event;
  private readonly subscription: Disposable;
  private current: DeviceSnapshot = {};

  constructor(source: LineSource, private readonly parser: LogParser) {
    this.subscription = source.onLine((line) => this.accept(line));
  }

  get snapshot(): DeviceSnapshot {
    return this.current;
  }

  accept(line: ReceivedLine): DeviceEvent | undefined {
    const event = this.parser.parse(line);
    if (!event) return undefined;
    const next: DeviceSnapshot = { ...this.current, lastEvent: event };
    if (event.state) next.state = event.state;
    // A version printed by the running app is what the device runs; an incoming image's is not.
    if (event.version && event.kind !== 'ota-start') next.version = event.version;
    if (event.fwKey) next.fwKey = event.fwKey;
    if (event.channel) next.channel = event.channel;
    if (event.progress !== undefined) next.progress = event.progress;
    else if (event.kind === 'boot') delete next.progress;
    this.current = next;
    this.eventEmitter.fire(event);
    return event;
  }

  dispose(): void {
    this.subscription.dispose();
    this.eventEmitter.dispose();
  }
}

import type { PortHolder } from './portHolders';

/** Where a serial connection stands, in words a status bar can show as is. */
export type SerialState =
  | { kind: 'disconnected' }
  | { kind: 'connecting' }
  | { kind: 'connected'; since: number }
  /** The port is absent (unplugged, the device resetting, a pty not made yet): we keep trying. */
  | { kind: 'waiting'; reason: string }
  /** Another process holds the port (esptool flashing, a second monitor): we keep trying. */
  | { kind: 'busy'; holders: PortHolder[]; message: string };

export function describeSerialState(path: string, state: SerialState): string {
  switch (state.kind) {
    case 'disconnected':
      return `${path}: disconnected`;
    case 'connecting':
      return `${path}: connecting`;
    case 'connected':
      return `${path}: connected`;
    case 'waiting':
      return `${path}: waiting for port (${state.reason})`;
    case 'busy':
      return `${path}: ${state.message}`;
  }
}

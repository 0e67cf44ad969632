import type * as vscode from 'vscode';
import { describeError, OtaError } from '../../core/errors';
import type { StatusReport } from '../../core/protocol/management';
import type { PushProvider, RolloutStatus } from '../../providers/provider';
import { toStatus } from '../../providers/ota/otaRollouts';
import { StatusModel } from '../../providers/statusModel';
import { SseClient } from '../live/sseClient';

/** How a server row reads: told apart so "stopped" never looks like an error. */
export type ServerState =
  | { kind: 'connecting' }
  | { kind: 'running'; report: StatusReport; rollouts?: RolloutStatus[]; since: number }
  | { kind: 'unreachable'; reason: string; last?: StatusReport }
  | { kind: 'unauthorized'; reason: string }
  | { kind: 'error'; reason: string };

/** Where a watch reads a server: a provider for snapshots, our server's event stream when it has one. */
export interface WatchSource {
  provider(): Promise<PushProvider>;
  /** Our server's management endpoint for `/api/v1/events`; absent for hawkBit, which is polled. */
  events?: () => Promise<{ url: string; token: string; ca?: string }>;
  /** Poll interval for servers without an event stream. */
  pollMs: number;
}

/**
 * Follows one server while its row is expanded and the view visible: our server through one
 * status snapshot plus its event stream (re-snapshot on reconnect), hawkBit by polling at its
 * configured interval. Paused when the row collapses or the view hides; `onChange` says redraw.
 */
export class ServerWatch implements vscode.Disposable {
  private current: ServerState = { kind: 'connecting' };
  private abort: AbortController | undefined;
  private timer: NodeJS.Timeout | undefined;
  private provider: PushProvider | undefined;
  private model: StatusModel | undefined;

  constructor(
    private readonly source: WatchSource,
    private readonly onChange: () => void,
  ) {}

  get state(): ServerState {
    return this.current;
  }

  get active(): boolean {
    return this.abort !== undefined;
  }

  /** The provider the watch connected with (for actions on the row: bind a key, deploy). */
  async connection(): Promise<PushProvider> {
    this.provider ??= await this.source.provider();
    return this.provider;
  }

  /** Starts following unless it already does; resolves once the first snapshot (or failure) is in. */
  async resume(): Promise<void> {
    if (this.abort) return;
    const abort = (this.abort = new AbortController());
    await this.snapshot(abort.signal);
    if (abort.signal.aborted) return;
    if (this.source.events) void this.follow(abort.signal);
    else this.schedulePoll(abort.signal);
  }

  pause(): void {
    this.abort?.abort();
    this.abort = undefined;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  dispose(): void {
    this.pause();
  }

  private set(state: ServerState): void {
    this.current = state;
    this.onChange();
  }

  private async snapshot(signal: AbortSignal): Promise<void> {
    try {
      const provider = await this.connection();
      const [report, rollouts] = await Promise.all([provider.status(signal), provider.rollouts?.list(signal)]);
      if (signal.aborted) return;
      if (this.model) this.model.reset(report);
      else this.model = new StatusModel(report);
      this.set({ kind: 'running', report, ...(rollouts ? { rollouts } : {}), since: Date.now() });
    } catch (err) {
      if (signal.aborted) return;
      this.provider = undefined; // a changed secret or CA is read again next time
      this.set(classify(err, this.model?.report()));
    }
  }

  private schedulePoll(signal: AbortSignal): void {
    this.timer = setTimeout(() => {
      void this.snapshot(signal).then(() => {
        if (!signal.aborted) this.schedulePoll(signal);
      });
    }, this.source.pollMs);
  }

  private async follow(signal: AbortSignal): Promise<void> {
    let endpoint: { url: string; token: string; ca?: string };
    try {
      endpoint = await this.source.events!();
    } catch (err) {
      this.set(classify(err, undefined));
      return;
    }
    const client = new SseClient(
      endpoint.url,
      endpoint.token,
      {
        onOpen: () => undefined,
        onEvent: (event) => {
          if (!this.model || !this.model.apply(event)) return;
          const state = this.current;
          const report = this.model.report();
          // Our server's rollouts follow its `rollout.*` events through the model, like everything else it holds.
          const rollouts = report.rollouts ? report.rollouts.map(toStatus) : state.kind === 'running' ? state.rollouts : undefined;
          this.current = { kind: 'running', report, ...(rollouts ? { rollouts } : {}), since: state.kind === 'running' ? state.since : Date.now() };
          this.onChange();
        },
        onDrop: (reason) => {
          if (signal.aborted) return;
          this.set(/\b401\b/.test(reason) ? { kind: 'unauthorized', reason } : { kind: 'unreachable', reason, ...(this.model ? { last: this.model.report() } : {}) });
        },
        // Progress ticks are not replayed: a fresh snapshot first, then the stream from where it was.
        beforeReconnect: async () => {
          await this.snapshot(signal);
          if (this.current.kind !== 'running') throw new Error(this.current.kind === 'connecting' ? 'connecting' : this.current.reason);
        },
      },
      endpoint.ca,
    );
    client.start(signal);
  }
}

/** unreachable (nothing answers) vs unauthorized (it answers and refuses us) vs anything else. */
function classify(err: unknown, last: StatusReport | undefined): ServerState {
  const reason = describeError(err).split('\n')[0]!;
  const code = err instanceof OtaError ? err.code : undefined;
  const status = (err as { status?: unknown }).status;
  if (code === 'http-401' || code === 'http-403' || code === 'hawkbit-401' || code === 'hawkbit-403' || status === 401 || status === 403) return { kind: 'unauthorized', reason };
  const cause = (err instanceof Error ? (err.cause as NodeJS.ErrnoException | undefined) : undefined) ?? (err as NodeJS.ErrnoException);
  const net = ['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'ECONNRESET', 'EAI_AGAIN', 'ENETUNREACH'];
  if (net.includes(cause?.code ?? '') || /cannot reach/.test(reason)) return { kind: 'unreachable', reason, ...(last ? { last } : {}) };
  return { kind: 'error', reason };
}

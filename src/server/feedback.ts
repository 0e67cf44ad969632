import { OtaError } from '../core/errors';
import type { DdiFeedback } from '../core/protocol/ddi';
import type { SessionState } from '../core/protocol/management';
import { checkDetails, deviceLimits } from './deviceInput';

export interface FeedbackOutcome {
  state: SessionState;
  /** Why the session failed, in the device's own words where it gave any. */
  reason?: string;
  /** 0..1 when the device reported `progress: {cnt, of}`. */
  progress?: number;
  details: string[];
}

/**
 * What a hawkBit feedback body means for a session in `current`. `closed` + `success`/`failure`
 * end it, `rejected` fails it, `canceled` cancels it; `proceeding`/`scheduled` after the download
 * mean the device is installing. `resumed` changes no state: before the install it is a download
 * going on after a cut (the server may have written every byte into socket buffers the device never
 * read), during it the install going on after a reboot. Anything that is not feedback is a 400
 * naming the field.
 */
export function readFeedback(current: SessionState, body: unknown): FeedbackOutcome {
  const status = (body as DdiFeedback | null)?.status;
  if (typeof status !== 'object' || status === null || typeof status.execution !== 'string' || typeof status.result !== 'object' || status.result === null) {
    throw new OtaError('feedback needs status.execution and status.result.finished', { code: 'bad-request' });
  }
  const details = checkDetails(status.details);
  const joined = details.join('; ');
  const said = details.length ? `: ${joined.length > deviceLimits.detailChars ? `${joined.slice(0, deviceLimits.detailChars)}…` : joined}` : '';
  const p = status.result.progress;
  const progress = p && typeof p.cnt === 'number' && typeof p.of === 'number' && p.of > 0 ? Math.min(1, Math.max(0, p.cnt / p.of)) : undefined;
  const out = (state: SessionState, reason?: string): FeedbackOutcome => ({
    state,
    details,
    ...(reason ? { reason } : {}),
    ...(state === 'succeeded' ? { progress: 1 } : progress !== undefined ? { progress } : {}),
  });
  switch (status.execution as string) {
    case 'closed':
      if (status.result.finished === 'success') return out('succeeded');
      if (status.result.finished === 'failure') return out('failed', `device reported failure${said}`);
      return out(current);
    case 'rejected':
      return out('failed', `device rejected the update${said}`);
    case 'canceled':
      return out('cancelled');
    // hawkBit spells it `download`; `downloading` is what our simulator sent before it learned that.
    case 'download':
    case 'downloading':
      return out('downloading');
    case 'downloaded':
      return out('downloaded');
    case 'proceeding':
    case 'scheduled':
      return out(current === 'downloaded' ? 'installing' : current);
    case 'resumed':
      return out(current);
    default:
      throw new OtaError(`unknown execution status "${String(status.execution)}"`, {
        code: 'bad-request',
        hint: 'hawkBit DDI execution is one of closed, proceeding, canceled, scheduled, rejected, resumed, download, downloaded',
      });
  }
}

import type { UpdateSession } from '../core/protocol/management';

/**
 * Why a session whose device has been silent `silentMs` fails now, or undefined while it may
 * still come back. Before the download is complete the offline timeout applies (the seed's 60 s:
 * a device back within it resumes). Once the device has the whole image (`downloaded`, or
 * `installing` after its feedback) it goes offline to install, reboot and self-test, so the
 * longer install timeout applies.
 */
export function silenceVerdict(session: UpdateSession, silentMs: number, offlineTimeoutMs: number, installTimeoutMs: number): string | undefined {
  const installing = session.state === 'downloaded' || session.state === 'installing';
  if (installing) {
    if (silentMs <= Math.max(installTimeoutMs, offlineTimeoutMs)) return undefined;
    return (
      `device ${session.deviceId} did not come back after installing: silent for ${Math.round(silentMs / 1000)} s since the download completed (${session.state}), ` +
      `longer than the install timeout of ${installTimeoutMs / 1000} s for installing, rebooting and self-testing`
    );
  }
  if (silentMs <= offlineTimeoutMs) return undefined;
  return `device ${session.deviceId} was silent for ${Math.round(silentMs / 1000)} s, longer than the offline timeout of ${offlineTimeoutMs / 1000} s, after ${session.bytesServed} of ${session.size} bytes`;
}

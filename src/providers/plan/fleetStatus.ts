import type { Device, Release, ServerInfo, UpdateSession } from '../../core/protocol/management';
import { OtaProvider } from '../ota/otaProvider';
import type { PushProvider } from '../provider';

export interface FleetStatus {
  server: ServerInfo;
  devices: Device[];
  sessions: UpdateSession[];
  releases: Release[];
}

const page = 1000;

/**
 * Devices and sessions from a provider. Our server pages them (1,000 a page, oldest first): a run
 * reads from the session count it saw at its start, so a server with a long history costs no
 * more than a fresh one. Other providers answer in one piece.
 */
export async function readFleetStatus(provider: PushProvider, signal: AbortSignal | undefined, sessionsFrom = 0): Promise<FleetStatus & { sessionTotal: number }> {
  if (!(provider instanceof OtaProvider)) {
    const s = await provider.status(signal);
    return { server: s.server, devices: s.devices, sessions: s.sessions.slice(sessionsFrom), releases: s.releases, sessionTotal: s.sessions.length };
  }
  const first = await provider.client.status(signal, { limit: page, offset: sessionsFrom });
  const devices = [...first.devices];
  const sessions = [...first.sessions];
  const totals = first.totals;
  if (totals) {
    // Devices and sessions share the paging: the first answer holds devices from `sessionsFrom`, so read them from 0.
    const deviceTotal = totals.devices;
    if (sessionsFrom > 0) devices.length = 0;
    for (let offset = sessionsFrom + page; offset < totals.sessions; offset += page) sessions.push(...(await provider.client.status(signal, { limit: page, offset })).sessions);
    for (let offset = sessionsFrom > 0 ? 0 : page; offset < deviceTotal; offset += page) devices.push(...(await provider.client.status(signal, { limit: page, offset })).devices);
  }
  return { server: first.server, devices, sessions, releases: first.releases, sessionTotal: totals?.sessions ?? sessionsFrom + sessions.length };
}

import { isDeepStrictEqual } from 'node:util';
import type { UpdateSession } from '../../core/protocol/management';
import type { JournalRecord } from './records';

export type SessionChange = Extract<JournalRecord, { t: 'session.change' }>;

/**
 * The record that takes a session from what the journal last said (`journaled`) to `next`: the
 * fields whose value differs, and the optional fields that are gone. Undefined when nothing
 * changed. A progress update is then a few numbers, whatever the session's details weigh.
 */
export function sessionChange(journaled: UpdateSession, next: UpdateSession): SessionChange | undefined {
  const set: Partial<UpdateSession> = {};
  const unset: (keyof UpdateSession)[] = [];
  const was = journaled as unknown as Record<string, unknown>;
  const now = next as unknown as Record<string, unknown>;
  for (const key of Object.keys(now)) {
    if (key === 'id' || now[key] === undefined) continue;
    if (!isDeepStrictEqual(was[key], now[key])) (set as Record<string, unknown>)[key] = now[key];
  }
  // JSON has no undefined: a field set to undefined is as gone as a deleted one.
  for (const key of Object.keys(was)) if (was[key] !== undefined && now[key] === undefined) unset.push(key as keyof UpdateSession);
  if (Object.keys(set).length === 0 && unset.length === 0) return undefined;
  return { t: 'session.change', id: next.id, ...(Object.keys(set).length > 0 ? { set } : {}), ...(unset.length > 0 ? { unset } : {}) };
}

/** Applies a change record to a session object in place (transfers in flight hold the object). */
export function applySessionChange(session: UpdateSession, change: SessionChange): void {
  if (change.set) Object.assign(session, change.set);
  for (const key of change.unset ?? []) if (key !== 'id') delete (session as Partial<UpdateSession>)[key];
}

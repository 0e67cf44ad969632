import * as http from 'node:http';
import type { RunningServer } from '../../../../src/server/startServer';
import { token } from './server';

/** One event as it came over the wire, every field of its block. */
export interface WireEvent {
  id: number;
  type: string;
  at: string;
  data: unknown;
}

export interface EventTap {
  readonly events: WireEvent[];
  /** Resolves once an event matches (the stream's backlog included); rejects after `ms`. */
  until(match: (e: WireEvent) => boolean, what: string, ms?: number): Promise<WireEvent>;
  close(): void;
}

/** Reads the management event stream of `server` with the test token, raw, as a client would. */
export function tapEvents(server: RunningServer, lastEventId?: number): Promise<EventTap> {
  const events: WireEvent[] = [];
  const waiters = new Set<() => void>();
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (lastEventId !== undefined) headers['last-event-id'] = String(lastEventId);
    const req = http.get(`${server.url}/api/v1/events`, { headers }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`event stream answered ${res.statusCode}`));
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const fields = new Map<string, string>();
          for (const line of buffer.slice(0, end).split('\n')) {
            const colon = line.indexOf(':');
            if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).replace(/^ /, ''));
          }
          buffer = buffer.slice(end + 2);
          if (fields.has('id')) events.push({ id: Number(fields.get('id')), type: fields.get('event') ?? '', at: fields.get('at') ?? '', data: JSON.parse(fields.get('data') ?? 'null') as unknown });
        }
        for (const w of [...waiters]) w();
      });
      res.on('error', () => undefined);
      resolve({
        events,
        until: (match, what, ms = 10_000) =>
          new Promise<WireEvent>((found, fail) => {
            const check = () => {
              const e = events.find(match);
              if (!e) return;
              waiters.delete(check);
              clearTimeout(timer);
              found(e);
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              fail(new Error(`no ${what} in the event stream; got ${events.map((e) => e.type).join(', ') || 'nothing'}`));
            }, ms);
            waiters.add(check);
            check();
          }),
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
  });
}

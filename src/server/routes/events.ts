import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServerEvent } from '../../core/protocol/management';
import type { EventBus } from '../events';

/** What one stalled SSE subscriber may have queued in the server before it is dropped. */
export const maxBufferedBytes = 1024 * 1024;

/**
 * An event as an SSE frame, built once however many subscribers (and replays) send it: every
 * listener gets the same event object, and the history hands out the same kept copies.
 */
const frames = new WeakMap<ServerEvent, string>();
function frame(e: ServerEvent): string {
  let text = frames.get(e);
  if (text === undefined) {
    text = `id: ${e.id}\nevent: ${e.type}\nat: ${e.at}\ndata: ${JSON.stringify(e.data)}\n\n`;
    frames.set(e, text);
  }
  return text;
}

/**
 * Server-Sent Events: the backlog after `Last-Event-ID`, then live events and a heartbeat. Each
 * event carries, besides `id`, `event` and `data` (the payload alone), an `at` field with the
 * server's time of the event (ISO 8601): SSE parsers ignore fields they do not know, ours read it.
 */
export function serveEvents(req: IncomingMessage, res: ServerResponse, bus: EventBus): void {
  res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
  res.write('retry: 2000\n\n');
  // A live stream is quiet between events by design (the heartbeat keeps proxies awake): the
  // idle timeout for stalled requests does not apply to it.
  req.socket.setTimeout(0);
  const last = Number(req.headers['last-event-id'] ?? 0);
  // The backlog is bounded by the history's size and written whole: cutting a client on it would
  // only make it ask for the same backlog again.
  for (const e of bus.since(Number.isFinite(last) ? last : 0)) res.write(frame(e));
  const unsubscribe = bus.subscribe((e) => {
    if (res.destroyed) return;
    res.write(frame(e));
    // A subscriber that does not read would make the server buffer every event for it. Past the
    // limit it is cut: its client reconnects with Last-Event-ID and gets the backlog it missed.
    if (res.writableLength > maxBufferedBytes) res.destroy();
  });
  const unsubscribeClose = bus.subscribeClose(() => res.end());
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  heartbeat.unref();
  res.on('close', () => {
    clearInterval(heartbeat);
    unsubscribe();
    unsubscribeClose();
  });
}

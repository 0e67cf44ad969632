import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServerEvent } from '../../core/protocol/management';
import type { EventBus } from '../events';

/**
 * Server-Sent Events: the backlog after `Last-Event-ID`, then live events and a heartbeat. Each
 * event carries, besides `id`, `event` and `data` (the payload alone), an `at` field with the
 * server's time of the event (ISO 8601): SSE parsers ignore fields they do not know, ours read it.
 */
export function serveEvents(req: IncomingMessage, res: ServerResponse, bus: EventBus): void {
  res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
  res.write('retry: 2000\n\n');
  const send = (e: ServerEvent) => res.write(`id: ${e.id}\nevent: ${e.type}\nat: ${e.at}\ndata: ${JSON.stringify(e.data)}\n\n`);
  const last = Number(req.headers['last-event-id'] ?? 0);
  for (const e of bus.since(Number.isFinite(last) ? last : 0)) send(e);
  const unsubscribe = bus.subscribe(send);
  const unsubscribeClose = bus.subscribeClose(() => res.end());
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  heartbeat.unref();
  res.on('close', () => {
    clearInterval(heartbeat);
    unsubscribe();
    unsubscribeClose();
  });
}

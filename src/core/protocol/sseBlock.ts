import type { ServerEvent, ServerEventType } from './management';

/** One block of our server's event stream, as both clients (CLI and live view) read it. */
export interface SseBlock {
  /** The block's `id`, when it had one: a client resumes after it with Last-Event-ID. */
  id?: number;
  /** The server's `retry:` advice, in milliseconds. */
  retryMs?: number;
  /** The event, when the block carries a whole one (id, event type and JSON data). */
  event?: ServerEvent;
}

/** Reads one `\n\n`-separated block; comments (`:` lines) and unknown fields are skipped, as SSE says. */
export function readSseBlock(block: string): SseBlock {
  let id: number | undefined;
  let type: string | undefined;
  let at = '';
  let retryMs: number | undefined;
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') id = Number(value);
    else if (field === 'event') type = value;
    else if (field === 'at') at = value;
    else if (field === 'data') data.push(value);
    else if (field === 'retry' && /^\d+$/.test(value)) retryMs = Number(value);
  }
  const result: SseBlock = {};
  if (id !== undefined) result.id = id;
  if (retryMs !== undefined) result.retryMs = retryMs;
  if (id === undefined || type === undefined || data.length === 0) return result;
  try {
    result.event = { id, at, type: type as ServerEventType, data: JSON.parse(data.join('\n')) as unknown };
  } catch {
    // A block with broken JSON is skipped; its id still counts for resuming.
  }
  return result;
}

/**
 * Splits a text stream into SSE blocks (separated by a blank line): feed it each chunk as it
 * arrives; a partial block waits for the rest.
 */
export function sseBlockSplitter(onBlock: (block: string) => void): (chunk: string) => void {
  let buffer = '';
  return (chunk) => {
    buffer += chunk;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      onBlock(block);
    }
  };
}

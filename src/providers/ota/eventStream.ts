import * as http from 'node:http';
import * as https from 'node:https';
import { OtaError } from '../../core/errors';
import { checkCredentialTarget } from '../../core/net/credentialTarget';
import type { ServerEvent } from '../../core/protocol/management';
import { managementPaths } from '../../core/protocol/management';
import { readSseBlock, sseBlockSplitter } from '../../core/protocol/sseBlock';

/**
 * Follows the server's Server-Sent Events until `signal` aborts. Resolves when the stream ends
 * (the server shut down) or the signal fires; rejects when the server refuses it.
 */
export function followEvents(baseUrl: string, token: string, onEvent: (event: ServerEvent) => void, options: { signal: AbortSignal; ca?: string; lastEventId?: number; onOpen?: () => void }): Promise<void> {
  const url = new URL(managementPaths.events, baseUrl);
  checkCredentialTarget(url, 'the management token');
  const mod = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    if (options.signal.aborted) return resolve();
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'text/event-stream' };
    if (options.lastEventId !== undefined) headers['last-event-id'] = String(options.lastEventId);
    const req = mod.get(url, { headers, ...(options.ca ? { ca: options.ca } : {}) }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new OtaError(`the server refused the event stream (${res.statusCode})`, { where: url.origin, hint: res.statusCode === 401 ? 'check the token' : undefined }));
        return;
      }
      options.onOpen?.();
      res.setEncoding('utf8');
      res.on(
        'data',
        sseBlockSplitter((block) => {
          const { event } = readSseBlock(block);
          if (event) onEvent(event);
        }),
      );
      res.on('end', () => resolve());
      res.on('error', () => resolve());
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (options.signal.aborted) resolve();
      else reject(err.code === 'ECONNREFUSED' ? new OtaError(`cannot reach the OTA server at ${url.origin}`, { hint: 'start it with `ota serve` (or check --server)', cause: err }) : err);
    });
    options.signal.addEventListener('abort', () => req.destroy(), { once: true });
  });
}


import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Release } from '../../../../src/core/protocol/management';
import type { ServerSettings } from '../../../../src/server/context';
import type { RunningServer } from '../../../../src/server/startServer';
import { startServer } from '../../../../src/server/startServer';
import { request } from './http';

export const token = 'test-token-0123456789';

export async function tempDir(prefix = 'ota-server-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

export function start(dataDir: string, settings: Partial<ServerSettings> = {}): Promise<RunningServer> {
  return startServer({ dataDir, port: 0, token, settings });
}

/** A management API call with the test token. */
export async function api(server: RunningServer, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const reply = await request(server.url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body) } : {}),
    // An HTTPS server's own local CA: trusted per request, never through Node's global agent.
    ...(server.caCertPem ? { ca: server.caCertPem } : {}),
  });
  const text = reply.body.toString('utf8');
  return { ...reply, json: (text ? JSON.parse(text) : undefined) as unknown };
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export function md5(data: Buffer): string {
  return createHash('md5').update(data).digest('hex');
}

/** Uploads `data` as a release in one chunk and returns it. */
export async function uploadRelease(
  server: RunningServer,
  data: Buffer,
  manifest: { pid: string; fwKey: string; channel: string; label: string; filename?: string; part?: string; signedManifest?: string },
): Promise<Release> {
  const begin = await api(server, 'POST', '/api/v1/uploads', { filename: 'fw.bin', ...manifest, size: data.length, sha256: sha256(data) });
  if (begin.status !== 201) throw new Error(`upload begin: ${begin.status} ${begin.body.toString()}`);
  const id = (begin.json as { id: string }).id;
  const put = await api(server, 'PUT', `/api/v1/uploads/${id}`, data, { 'upload-offset': '0', 'content-type': 'application/octet-stream' });
  if (put.status !== 200) throw new Error(`upload put: ${put.status} ${put.body.toString()}`);
  const done = await api(server, 'POST', `/api/v1/uploads/${id}/complete`);
  if (done.status !== 201) throw new Error(`upload complete: ${done.status} ${done.body.toString()}`);
  return done.json as Release;
}

import { createHash } from 'node:crypto';
import type { ReadStream } from 'node:fs';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import * as http from 'node:http';
import * as https from 'node:https';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { OtaError } from '../../core/errors';
import { checkCredentialTarget } from '../../core/net/credentialTarget';
import type { ProgressCallback } from '../../core/logger';
import type { ApiError, Deployment, DeploymentRequest, Product, Release, ReleaseManifest, RolloutRequestBody, RolloutSummary, StatusReport, UploadState } from '../../core/protocol/management';
import { managementPaths as p, uploadOffsetHeader } from '../../core/protocol/management';

export interface ClientOptions {
  /** Extra CA (PEM) to trust, e.g. the server's local CA. */
  ca?: string;
}

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** A client for our server's management API: the CLI, benchmarks and tests use it. */
export class ManagementClient {
  private readonly base: URL;

  constructor(
    baseUrl: string,
    private readonly token: string,
    private readonly options: ClientOptions = {},
  ) {
    try {
      this.base = new URL(baseUrl);
    } catch {
      throw new OtaError(`not a URL: ${baseUrl}`, { hint: 'write the server URL like http://127.0.0.1:8080' });
    }
    checkCredentialTarget(this.base, 'the management token');
  }

  /** For the event stream, which is a second connection to the same server with the same credentials. */
  get baseUrl(): string {
    return this.base.href;
  }

  get bearerToken(): string {
    return this.token;
  }

  get trustedCa(): string | undefined {
    return this.options.ca;
  }

  /** The status with one page of devices and sessions (the server's default page when `page` is omitted). */
  status(signal?: AbortSignal, page?: { limit: number; offset: number }): Promise<StatusReport> {
    return this.json<StatusReport>('GET', page ? `${p.status}?limit=${page.limit}&offset=${page.offset}` : p.status, undefined, signal);
  }

  bindKeys(pid: string, keys: string[], signal?: AbortSignal): Promise<Product> {
    return this.json<Product>('POST', p.productKeys(pid), { keys }, signal);
  }

  deploy(req: DeploymentRequest, signal?: AbortSignal): Promise<Deployment> {
    return this.json<Deployment>('POST', p.deployments, req, signal);
  }

  cancelDeployment(id: string, signal?: AbortSignal): Promise<Deployment> {
    return this.json<Deployment>('POST', p.deploymentCancel(id), undefined, signal);
  }

  rollouts(signal?: AbortSignal): Promise<RolloutSummary[]> {
    return this.json<RolloutSummary[]>('GET', p.rollouts, undefined, signal);
  }

  rollout(id: string, signal?: AbortSignal): Promise<RolloutSummary> {
    return this.json<RolloutSummary>('GET', p.rollout(id), undefined, signal);
  }

  createRollout(body: RolloutRequestBody, signal?: AbortSignal): Promise<RolloutSummary> {
    return this.json<RolloutSummary>('POST', p.rollouts, body, signal);
  }

  rolloutAction(id: string, action: 'start' | 'pause' | 'resume' | 'approve' | 'cancel', signal?: AbortSignal): Promise<RolloutSummary> {
    return this.json<RolloutSummary>('POST', p.rolloutAction(id, action), undefined, signal);
  }

  /**
   * Uploads a file as a release. The sha256 goes in the manifest so the server checks the bytes
   * on arrival; a dropped connection resumes from the offset the server reports (a few times).
   */
  async pushFile(path: string, manifest: Omit<ReleaseManifest, 'size' | 'filename' | 'sha256'> & { filename?: string }, opts: { signal?: AbortSignal; onProgress?: ProgressCallback; retries?: number } = {}): Promise<Release> {
    const size = (await stat(path)).size;
    const sha256 = createHash('sha256');
    for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) sha256.update(chunk);
    const ours = sha256.digest('hex');
    const upload = await this.json<UploadState>('POST', p.uploads, { ...manifest, filename: manifest.filename ?? basename(path), size, sha256: ours }, opts.signal);
    let offset = 0;
    let retries = opts.retries ?? 5;
    // Progress follows the bytes as the file stream hands them to the socket, at most about every
    // 1% (and never the same value twice), so a bar moves during the PUT, not only after it.
    const step = Math.max(64 * 1024, Math.ceil(size / 100));
    let reported = -1;
    const report = (done: number): void => {
      if (done === reported || (done < size && Math.abs(done - reported) < step)) return;
      reported = done;
      opts.onProgress?.({ message: `uploading ${basename(path)}`, done, total: size });
    };
    while (offset < size) {
      let body: ReadStream | undefined;
      try {
        body = createReadStream(path, { start: offset });
        let sent = offset;
        body.on('data', (chunk: Buffer | string) => {
          sent += chunk.length;
          report(sent);
        });
        const reply = await this.send('PUT', p.upload(upload.id), body, opts.signal, {
          'content-type': 'application/octet-stream',
          'content-length': String(size - offset),
          [uploadOffsetHeader]: String(offset),
        });
        if (reply.status !== 200) throw this.failure('PUT', p.upload(upload.id), reply);
        offset = Number(reply.headers[uploadOffsetHeader] ?? size);
      } catch (err) {
        // A cut request unpipes the file but would leave it flowing into the counter above.
        body?.destroy();
        if (err instanceof OtaError || opts.signal?.aborted || retries-- <= 0) throw err;
        // The link dropped: ask where the server is and go on from there.
        offset = (await this.json<UploadState>('GET', p.upload(upload.id), undefined, opts.signal)).offset;
      }
      report(offset);
    }
    const release = await this.json<Release>('POST', p.uploadComplete(upload.id), undefined, opts.signal);
    // The server checks the bytes against the sha256 we declared; this checks the server.
    if (release.sha256 !== ours) {
      throw new OtaError(`the server stored ${basename(path)} with sha256 ${release.sha256}, but the file has ${ours}`, {
        where: this.base.origin,
        hint: 'the upload was altered on the way or the server is faulty: do not deploy this release',
      });
    }
    return release;
  }

  private async json<T>(method: string, path: string, body: unknown, signal: AbortSignal | undefined): Promise<T> {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const reply = await this.send(method, path, data, signal, data ? { 'content-type': 'application/json', 'content-length': String(data.length) } : {});
    if (reply.status < 200 || reply.status >= 300) throw this.failure(method, path, reply);
    return (reply.text ? JSON.parse(reply.text) : undefined) as T;
  }

  private failure(method: string, path: string, reply: Reply): OtaError {
    let parsed: ApiError | undefined;
    try {
      parsed = JSON.parse(reply.text) as ApiError;
    } catch {
      parsed = undefined;
    }
    const hint = reply.status === 401 ? 'check the token (--token-env names the environment variable that holds it)' : parsed?.hint;
    return new OtaError(`${method} ${path} failed with ${reply.status}: ${parsed?.error ?? (reply.text.slice(0, 200) || 'no message')}`, {
      where: this.base.origin,
      code: `http-${reply.status}`,
      ...(hint ? { hint } : {}),
    });
  }

  private send(method: string, path: string, body: Buffer | Readable | undefined, signal: AbortSignal | undefined, headers: Record<string, string>): Promise<Reply> {
    const url = new URL(path, this.base);
    const mod = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = mod.request(url, { method, headers: { authorization: `Bearer ${this.token}`, ...headers }, ...(signal ? { signal } : {}), ...(this.options.ca ? { ca: this.options.ca } : {}) }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'ECONNREFUSED') reject(new OtaError(`cannot reach the OTA server at ${this.base.origin}`, { hint: 'start it with `ota serve` (or check --server)', cause: err }));
        else reject(err);
      });
      if (body === undefined || Buffer.isBuffer(body)) req.end(body);
      else {
        body.on('error', (err) => req.destroy(err));
        body.pipe(req);
      }
    });
  }
}

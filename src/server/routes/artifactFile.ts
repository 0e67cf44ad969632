import type { Release } from '../../core/protocol/management';
import type { ServedFile } from '../http/sendFile';
import type { OtaService } from '../service';
import type { CachedArtifact } from '../storage/artifactCache';

const served = new WeakMap<CachedArtifact, ServedFile>();

/**
 * The stored file behind a release, as sendFile wants it. Artifacts never change, so once the
 * cache holds one this answers without touching the disk or waiting.
 */
export function releaseFile(service: OtaService, release: Release): ServedFile | Promise<ServedFile> {
  const store = service.ctx.artifacts;
  const describe = (a: CachedArtifact): ServedFile => {
    let file = served.get(a);
    if (!file) {
      file = { path: store.artifactPath(release.sha256), size: a.size, etag: `"${release.sha256}"`, mtime: a.mtime, lastModified: a.mtime.toUTCString(), contentType: 'application/octet-stream', data: a.data };
      served.set(a, file);
    }
    return file;
  };
  const ready = store.cache.peek(release.sha256);
  return ready ? describe(ready) : store.cache.get(release.sha256, store.artifactPath(release.sha256)).then(describe);
}

/**
 * The release's signed manifest as sendFile wants it (held in memory: it is a few hundred bytes),
 * or undefined when the release was uploaded without one.
 */
export function manifestFile(service: OtaService, release: Release): ServedFile | undefined {
  const data = service.ctx.model.signedManifests.get(release.id);
  const info = release.signedManifest;
  if (!data || !info) return undefined;
  const mtime = new Date(release.createdAt);
  return { path: '', size: data.length, etag: `"${info.sha256}"`, mtime, lastModified: mtime.toUTCString(), contentType: 'application/json', data };
}

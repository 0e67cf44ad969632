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

import { stat } from 'node:fs/promises';
import type { Release } from '../../core/protocol/management';
import type { ServedFile } from '../http/sendFile';
import type { OtaService } from '../service';

/** The stored file behind a release, as sendFile wants it (async stat: never block the loop). */
export async function releaseFile(service: OtaService, release: Release): Promise<ServedFile> {
  const path = service.ctx.artifacts.artifactPath(release.sha256);
  const st = await stat(path);
  return { path, size: st.size, etag: `"${release.sha256}"`, mtime: st.mtime, contentType: 'application/octet-stream' };
}

import { readFile } from 'node:fs/promises';
import { inspectImage } from '../core/image/inspectImage';
import type { Release, VersionOutcome } from '../core/protocol/management';
import type { ReleaseManifest as SignedReleaseManifest } from '../core/release/manifest';
import { embeddedVersionOf } from '../core/verify/verifyFirmware';
import type { ServerContext } from './context';

/**
 * What the device runs after a finished update, against the release label and the version inside
 * the image. The seed's stress release (1.0.0 bytes labelled 1.0.1) and rollback release (1.0.0
 * bytes labelled 1.0.2) install fine and then run 1.0.0: the update worked, but an app that
 * compares the reported version with the label shows it as failed. This says which it is.
 */
export function judgeVersion(label: string, embedded: string | undefined, running: string | undefined, before: string | undefined): VersionOutcome {
  const base = { label, ...(embedded !== undefined ? { embedded } : {}), ...(running !== undefined ? { running } : {}) };
  if (running === undefined) return { ...base, verdict: 'unreported', summary: `release ${label} installed; the device has not reported the version it runs yet` };
  if (running === label) return { ...base, verdict: 'label', summary: `device runs ${running}, the release label` };
  if (embedded !== undefined && running === embedded) {
    const kind = before === undefined ? 'a stress or rollback release' : before === running ? `a stress release: the same version it ran before` : `a rollback release: it ran ${before} before`;
    return {
      ...base,
      verdict: 'embedded',
      summary: `device runs ${running} after release ${label}: the image carries ${embedded} inside (${kind}); dashboards that compare labels show this as a failed update`,
    };
  }
  const inside = embedded !== undefined ? `the image carries ${embedded} inside` : 'the version inside the image is unknown';
  return {
    ...base,
    verdict: 'other',
    summary: `device runs ${running} after release ${label}, and ${inside}: it may have rolled back or kept its old image; dashboards that compare labels show this as a failed update`,
  };
}

const known = new Map<string, Promise<string | undefined>>();

/**
 * The version inside a release's image: the signed manifest's `embeddedVersion` when the release
 * came with one, else read from the image header (ESP-IDF app description, MCUboot header).
 * Releases never change, so the answer is kept per image hash.
 */
export function releaseEmbeddedVersion(ctx: ServerContext, release: Release): Promise<string | undefined> {
  const signed = ctx.model.signedManifests.get(release.id);
  if (signed) {
    try {
      const v = (JSON.parse(signed.toString('utf8')) as Partial<SignedReleaseManifest>).embeddedVersion;
      if (typeof v === 'string' && v !== '') return Promise.resolve(v);
    } catch {
      // Checked on upload; fall back to the image itself.
    }
  }
  let found = known.get(release.sha256);
  if (!found) {
    found = fromImage(ctx, release);
    known.set(release.sha256, found);
  }
  return found;
}

async function fromImage(ctx: ServerContext, release: Release): Promise<string | undefined> {
  try {
    const path = ctx.artifacts.artifactPath(release.sha256);
    const bytes = (await ctx.artifacts.cache.get(release.sha256, path)).data ?? (await readFile(path));
    return embeddedVersionOf(inspectImage(bytes, release.filename));
  } catch {
    // A raw or damaged image has no version to read: the outcome then compares with the label only.
    return undefined;
  }
}

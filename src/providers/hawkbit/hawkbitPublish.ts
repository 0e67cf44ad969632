import { basename } from 'node:path';
import { OtaError } from '../../core/errors';
import type { OperationOptions, PublishedRelease, PublishRequest } from '../provider';
import { fiqlEq } from './fiql';
import type { FileDigests } from './fileDigests';
import { fileDigests } from './fileDigests';
import type { HawkbitHttp } from './hawkbitHttp';
import { HawkbitApiError } from './hawkbitHttp';
import type { HbArtifact, HbDistributionSet, HbPaged, HbSoftwareModule, HbType } from './hawkbitJson';

/** DS metadata keys that remember what a release is for, so status can map it back. */
export const releaseMetadata = { pid: 'ota.pid', fwKey: 'ota.fw_key', channel: 'ota.channel' } as const;

export interface TypeKeys {
  softwareModule: string;
  distributionSet: string;
}

/**
 * Publishing to hawkBit (§2.1–2.4, 2.10): a software module `<pid>.<channel>` at the label, the
 * image as its artifact, a distribution set of the same name and version holding it. Existing
 * entities with the same hashes are reused and said so; different bytes are refused.
 */
export async function publishToHawkbit(http: HawkbitHttp, types: TypeKeys, request: PublishRequest, options: OperationOptions = {}): Promise<PublishedRelease> {
  const { signal } = options;
  const notes: string[] = [];
  const filename = request.filename ?? basename(request.file);
  const ours = await fileDigests(request.file, signal);
  await requireTypeKey(http, 'softwaremoduletypes', 'software module type', types.softwareModule, 'softwareModuleType', signal);
  await requireTypeKey(http, 'distributionsettypes', 'distribution set type', types.distributionSet, 'distributionSetType', signal);
  const name = `${request.pid}.${request.channel}`;
  const module = await createOrReuseModule(http, { name, version: request.label, type: types.softwareModule }, notes, signal);
  const artifact = await uploadOrReuseArtifact(http, module, { path: request.file, filename, digests: ours }, notes, options);
  if (artifact.hashes.sha256 !== ours.sha256 || artifact.hashes.md5 !== ours.md5 || artifact.hashes.sha1 !== ours.sha1 || artifact.size !== ours.size) {
    throw new OtaError(`hawkBit stored ${filename} with sha256 ${artifact.hashes.sha256} (${artifact.size} bytes), but the file has ${ours.sha256} (${ours.size} bytes)`, {
      where: `hawkBit server "${http.connection.name}"`,
      hint: 'the upload was altered on the way or the server is faulty: delete the artifact in hawkBit and push again',
    });
  }
  const set = await createOrReuseSet(http, { name, version: request.label, type: types.distributionSet, module }, notes, signal);
  return { id: String(set.id), label: request.label, filename, size: ours.size, sha256: ours.sha256, md5: ours.md5, sha1: ours.sha1, notes };

  async function createOrReuseSet(h: HawkbitHttp, want: { name: string; version: string; type: string; module: HbSoftwareModule }, out: string[], s?: AbortSignal): Promise<HbDistributionSet> {
    try {
      const [created] = await h.json<HbDistributionSet[]>('POST', 'rest/v1/distributionsets', {
        body: [{ name: want.name, version: want.version, type: want.type, description: `OTA Workbench: PID ${request.pid}, key ${request.fwKey}, channel ${request.channel}`, modules: [{ id: want.module.id }] }],
        ...(s ? { signal: s } : {}),
      });
      // Metadata says what the set is for; status maps sets back to PID, key and channel with it.
      await h.json('POST', `rest/v1/distributionsets/${created!.id}/metadata`, {
        body: [
          { key: releaseMetadata.pid, value: request.pid },
          { key: releaseMetadata.fwKey, value: request.fwKey },
          { key: releaseMetadata.channel, value: request.channel },
        ],
        ...(s ? { signal: s } : {}),
      });
      out.push(`distribution set ${want.name} ${want.version} (id ${created!.id}) created with module ${want.module.id}`);
      return created!;
    } catch (err) {
      if (!(err instanceof HawkbitApiError && err.status === 409)) throw err;
      const found = await h.json<HbPaged<HbDistributionSet>>('GET', 'rest/v1/distributionsets', { query: { q: `${fiqlEq('name', want.name)};${fiqlEq('version', want.version)}` }, ...(s ? { signal: s } : {}) });
      const set = found.content.find((d) => d.name === want.name && d.version === want.version);
      if (!set) throw err;
      const modules = await h.json<HbPaged<HbSoftwareModule>>('GET', `rest/v1/distributionsets/${set.id}/assignedSM`, s ? { signal: s } : {});
      if (!modules.content.some((m) => m.id === want.module.id)) {
        throw new OtaError(`distribution set ${want.name} ${want.version} (id ${set.id}) already exists with other software modules (${modules.content.map((m) => `${m.name} ${m.version}`).join(', ') || 'none'})`, {
          where: `hawkBit server "${h.connection.name}"`,
          hint: 'push under a new label (--label), or delete that distribution set in hawkBit',
        });
      }
      out.push(`distribution set ${want.name} ${want.version} (id ${set.id}) already exists with this module: reused`);
      return set;
    }
  }
}

async function requireTypeKey(http: HawkbitHttp, collection: string, what: string, key: string, field: string, signal?: AbortSignal): Promise<void> {
  const found = await http.json<HbPaged<HbType>>('GET', `rest/v1/${collection}`, { query: { q: fiqlEq('key', key) }, ...(signal ? { signal } : {}) });
  if (found.content.some((t) => t.key === key)) return;
  const all = await http.json<HbPaged<HbType>>('GET', `rest/v1/${collection}`, { query: { limit: 500 }, ...(signal ? { signal } : {}) });
  throw new OtaError(`the server has no ${what} with key "${key}"; its keys are: ${all.content.map((t) => t.key).join(', ') || '(none)'}`, {
    where: `hawkBit server "${http.connection.name}"`,
    hint: `set "${field}" in this server's entry of .vscode/ota.json to one of those keys, or create the type in hawkBit`,
  });
}

async function createOrReuseModule(http: HawkbitHttp, want: { name: string; version: string; type: string }, notes: string[], signal?: AbortSignal): Promise<HbSoftwareModule> {
  try {
    const [created] = await http.json<HbSoftwareModule[]>('POST', 'rest/v1/softwaremodules', {
      body: [{ type: want.type, name: want.name, version: want.version, vendor: 'OTA Workbench' }],
      ...(signal ? { signal } : {}),
    });
    notes.push(`software module ${want.name} ${want.version} (id ${created!.id}, type ${want.type}) created`);
    return created!;
  } catch (err) {
    if (!(err instanceof HawkbitApiError && err.status === 409)) throw err;
    const found = await http.json<HbPaged<HbSoftwareModule>>('GET', 'rest/v1/softwaremodules', {
      query: { q: `${fiqlEq('name', want.name)};${fiqlEq('version', want.version)}` },
      ...(signal ? { signal } : {}),
    });
    const module = found.content.find((m) => m.name === want.name && m.version === want.version && m.type === want.type);
    if (!module) throw err;
    notes.push(`software module ${want.name} ${want.version} (id ${module.id}) already exists: reused`);
    return module;
  }
}

async function uploadOrReuseArtifact(
  http: HawkbitHttp,
  module: HbSoftwareModule,
  file: { path: string; filename: string; digests: FileDigests },
  notes: string[],
  options: OperationOptions,
): Promise<HbArtifact> {
  const { signal } = options;
  const path = `rest/v1/softwaremodules/${module.id}/artifacts`;
  // An artifact of that name already there: the same bytes are reused, other bytes refused.
  const existing = async (): Promise<HbArtifact | undefined> => {
    const list = await http.json<HbArtifact[]>('GET', path, signal ? { signal } : {});
    const same = list.find((a) => a.providedFilename === file.filename);
    if (!same) return undefined;
    if (same.hashes.sha256 !== file.digests.sha256) {
      throw new OtaError(`software module ${module.name} ${module.version} already holds ${file.filename} with sha256 ${same.hashes.sha256}; this file has sha256 ${file.digests.sha256}`, {
        where: `hawkBit server "${http.connection.name}"`,
        hint: 'a released version must not change its bytes: push under a new label (--label), or delete the artifact in hawkBit first',
      });
    }
    notes.push(`artifact ${file.filename} (id ${same.id}) is already in module ${module.id} with the same sha256 ${same.hashes.sha256}: reused`);
    return same;
  };
  const before = await existing();
  if (before) return before;
  try {
    const artifact = await http.uploadFile<HbArtifact>(
      path,
      { md5sum: file.digests.md5, sha1sum: file.digests.sha1, sha256sum: file.digests.sha256 },
      { path: file.path, filename: file.filename, size: file.digests.size },
      {
        ...(signal ? { signal } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        // The reset may have come after hawkBit stored the bytes: look before sending them again.
        onRetry: async (attempt) => {
          notes.push(`the connection dropped during the upload; attempt ${attempt + 1}`);
          return existing();
        },
      },
    );
    notes.push(`artifact ${file.filename} (id ${artifact.id}, ${artifact.size} bytes) uploaded to module ${module.id}`);
    return artifact;
  } catch (err) {
    if (err instanceof HawkbitApiError && err.status === 409) {
      const found = await existing();
      if (found) return found;
    }
    throw err;
  }
}

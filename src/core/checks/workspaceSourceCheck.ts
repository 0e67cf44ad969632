import { loadWorkspaceConfig } from '../config/loader';
import type { LoadedConfig } from '../config/loader';
import { OtaError } from '../errors';
import { scanWorkspaceSources } from './findSources';
import { checkSourceDeclarations } from './sourceCheck';
import type { SourceProblem } from './sourceCheck';
import type { SourceDeclaration } from './sourcePatterns';
import { sourceNamesOf } from './sourceNames';

export interface WorkspaceSourceCheck {
  loaded: LoadedConfig;
  /** Recognised files read. */
  files: number;
  declarations: SourceDeclaration[];
  problems: SourceProblem[];
}

/**
 * Loads a folder's config and checks every firmware source in it, as `ota check` and CI do.
 * A config that does not parse is an error here: nothing could be checked against it.
 */
export async function checkWorkspaceSources(folder: string, options: { signal?: AbortSignal } = {}): Promise<WorkspaceSourceCheck> {
  const loaded = await loadWorkspaceConfig(folder);
  if (!loaded.merged) {
    throw new OtaError('the OTA config does not parse, so firmware sources cannot be checked against it', {
      where: loaded.sharedFile,
      code: 'invalid-config',
      hint: 'run `ota config validate` to see where, fix it, then check again',
    });
  }
  const { declarations, files } = await scanWorkspaceSources(folder, { names: sourceNamesOf(loaded.merged.value), ...(options.signal ? { signal: options.signal } : {}) });
  return { loaded, files, declarations, problems: checkSourceDeclarations(declarations, loaded) };
}

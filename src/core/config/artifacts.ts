import type { ConfigCheckResult } from './check';
import type { ConfigDiagnostic } from './diagnostic';
import { findFiles } from './glob';
import type { Channel } from './model';

/**
 * The check that can only run after a build: each channel's artifact path or glob must match a
 * file. Separate from the loader because before the first build nothing exists yet. Diagnostics
 * point at the channel's `artifact` value.
 */
export async function checkArtifacts(
  result: ConfigCheckResult,
  folder: string,
  options: { only?: (channel: Channel) => boolean; signal?: AbortSignal } = {},
): Promise<ConfigDiagnostic[]> {
  const diagnostics: ConfigDiagnostic[] = [];
  if (!result.config || !result.merged) return diagnostics;
  for (const [i, channel] of result.config.channels.entries()) {
    if (options.only && !options.only(channel)) continue;
    const matches = await findFiles(folder, channel.artifact, options.signal);
    if (matches.length === 0) {
      diagnostics.push(
        result.merged.diagnostic(['channels', i, 'artifact'], 'value', {
          stage: 'artifact',
          code: 'artifact-missing',
          message: `channels[${i}].artifact: "${channel.artifact}" matches no file in ${folder}: expected the image the build writes${channel.build ? ` (run "${channel.build.command}" first, or fix the path)` : ''}`,
        }),
      );
    }
  }
  return diagnostics;
}

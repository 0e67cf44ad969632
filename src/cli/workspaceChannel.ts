import { resolve } from 'node:path';
import type { ParsedArgs } from './args';
import { stringFlag } from './args';
import { OtaError } from '../core/errors';
import { requireWorkspaceConfig } from '../core/config/loader';
import type { LoadedConfig } from '../core/config/loader';
import type { Channel, OtaConfig } from '../core/config/model';

export type UsableConfig = LoadedConfig & { config: OtaConfig };

/** --folder (default: the current directory) holds .vscode/ota.json. */
export async function loadWorkspace(parsed: ParsedArgs, cwd: string): Promise<UsableConfig> {
  const folder = stringFlag(parsed, 'folder');
  return requireWorkspaceConfig(folder ? resolve(cwd, folder) : cwd);
}

/**
 * Picks the channel named by --channel (and --pid when two products share a channel name); with a
 * single channel in the config, that one.
 */
export function selectChannel(loaded: UsableConfig, parsed: ParsedArgs): { channel: Channel; index: number } {
  const name = stringFlag(parsed, 'channel');
  const pid = stringFlag(parsed, 'pid');
  const channels = loaded.config.channels.map((channel, index) => ({ channel, index }));
  const matching = channels.filter(({ channel }) => (name === undefined || channel.name === name) && (pid === undefined || channel.pid === pid));
  const list = channels.map(({ channel }) => `${channel.name} (pid ${channel.pid})`).join(', ') || 'none';
  if (matching.length === 1) return matching[0]!;
  if (matching.length === 0) {
    throw new OtaError(name ? `no channel ${name}${pid ? ` for pid ${pid}` : ''} in the config` : 'the config has no channels', { where: loaded.sharedFile, hint: `Channels: ${list}.`, code: 'usage' });
  }
  throw new OtaError(name ? `channel ${name} exists for several products` : 'the config has several channels', {
    where: loaded.sharedFile,
    hint: `Pass ${name ? '--pid' : '--channel'} to choose one of: ${list}.`,
    code: 'usage',
  });
}

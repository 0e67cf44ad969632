import type { Channel } from '../config/model';
import { resolveInFolder } from '../config/paths';
import { expandEnv } from '../config/resolveEnv';

/** What a terminal/task needs to run a channel's build: the same command, cwd and env as `ota build`. */
export interface BuildTaskSpec {
  label: string;
  command: string;
  cwd: string;
  env: Record<string, string>;
}

/**
 * The build of one channel as a shell task. `${env:NAME}` in build.env is expanded from `env`;
 * a missing variable throws (with the field named), so the task is not offered half-configured.
 */
export function buildTaskSpec(channel: Channel, folder: string, env: Readonly<Record<string, string | undefined>>): BuildTaskSpec | undefined {
  const build = channel.build;
  if (!build) return undefined;
  const expanded: Record<string, string> = {};
  for (const [name, value] of Object.entries(build.env ?? {})) expanded[name] = expandEnv(value, env, `channels.${channel.name}.build.env.${name}`);
  return {
    label: `build ${channel.name} (${channel.pid})`,
    command: build.command,
    cwd: resolveInFolder(folder, build.cwd ?? '.'),
    env: expanded,
  };
}

import { readFile } from 'node:fs/promises';
import { writeAtomically } from '../files/atomicOutput';
import { OtaError } from '../errors';
import type { LoadedConfig } from '../config/loader';
import type { Channel } from '../config/model';
import { resolveInFolder } from '../config/paths';
import { bumpSemver, compareSemver, formatSemver, parseTagSemver, requireSemver } from './semver';
import type { BumpKind, Semver } from './semver';
import { git } from './gitInfo';

export interface ChannelLabel {
  label: string;
  /** Where the label was read, for messages: "mcu/VERSION", "git describe", ".vscode/ota.json". */
  from: string;
}

/**
 * Reads the channel's release label from its version source. `image` sources need the embedded
 * version, which the caller reads from the artifact (passed as `embeddedVersion`).
 */
export async function readChannelLabel(channel: Channel, folder: string, embeddedVersion?: string): Promise<ChannelLabel> {
  const v = channel.version;
  switch (v.source) {
    case 'fixed':
      return { label: v.value, from: '.vscode/ota.json (version.value)' };
    case 'file': {
      const { match } = await matchVersionFile(folder, v.file, v.regex);
      return { label: match.value, from: v.file };
    }
    case 'git-describe': {
      // Several tags on HEAD (a bump tags the commit that already has the previous tag): the highest wins.
      const atHead = highestSemverTag(await git(folder, ['tag', '--points-at', 'HEAD']));
      if (atHead) return { label: atHead, from: 'git tag at HEAD' };
      const described = await git(folder, ['describe', '--tags']);
      if (!described) {
        throw new OtaError('git describe --tags found no tag', { where: folder, hint: 'Tag a release (git tag v1.0.0), or use another version source for the channel.', code: 'version-missing' });
      }
      return { label: described.replace(/^v/, ''), from: 'git describe --tags' };
    }
    case 'image':
      if (embeddedVersion === undefined) {
        throw new OtaError(`channel ${channel.name}'s version comes from the image, and the image has no embedded version`, {
          hint: 'Use a "file", "git-describe" or "fixed" version source for raw images.',
          code: 'version-missing',
        });
      }
      return { label: embeddedVersion, from: 'the image (embedded version)' };
  }
}

async function matchVersionFile(folder: string, file: string, regex: string): Promise<{ path: string; text: string; match: { value: string; start: number } }> {
  const path = resolveInFolder(folder, file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new OtaError(`cannot read the version file: ${(err as NodeJS.ErrnoException).code ?? err}`, { where: path, hint: 'Fix version.file in .vscode/ota.json.', code: 'version-missing', cause: err });
  }
  const m = new RegExp(regex, 'm').exec(text);
  if (!m) {
    throw new OtaError(`version.regex /${regex}/ does not match the version file`, { where: path, hint: 'Fix version.regex so its first group captures the version.', code: 'version-missing' });
  }
  const value = m[1] ?? m[0];
  // Locate the captured group inside the whole match (JS has no group offsets without the d flag in older targets).
  const start = m.index + (m[1] !== undefined ? m[0].indexOf(m[1]) : 0);
  return { path, text, match: { value, start } };
}

/** The highest semver among `git tag` output lines (a leading v dropped), if any. */
function highestSemverTag(lines: string | undefined): string | undefined {
  const versions = (lines ?? '')
    .split('\n')
    .map((t) => parseTagSemver(t))
    .filter((v): v is Semver => v !== undefined)
    .sort(compareSemver);
  const top = versions.at(-1);
  return top ? formatSemver(top) : undefined;
}

export interface BumpResult {
  previous: string;
  next: string;
  /** What was changed: a file path, or the git tag created. */
  changed: string;
}

/** Writes the next version into the channel's version source. */
export async function bumpChannelVersion(loaded: LoadedConfig, channelIndex: number, kind: BumpKind): Promise<BumpResult> {
  const channel = loaded.config!.channels[channelIndex]!;
  const v = channel.version;
  const folder = loaded.folder;
  switch (v.source) {
    case 'file': {
      const { path, text, match } = await matchVersionFile(folder, v.file, v.regex);
      const next = formatSemver(bumpSemver(requireSemver(match.value, path), kind));
      const updated = text.slice(0, match.start) + next + text.slice(match.start + match.value.length);
      await writeAtomically(path, (out) => out.write(Buffer.from(updated, 'utf8')));
      return { previous: match.value, next, changed: path };
    }
    case 'fixed': {
      const where = ['channels', channelIndex, 'version', 'value'] as const;
      const loc = loaded.merged?.locate(where);
      if (!loc || !loaded.merged?.has(where)) throw new OtaError('cannot find version.value in the config files', { code: 'version-missing' });
      const next = formatSemver(bumpSemver(requireSemver(v.value, loc.parsed.file), kind));
      const text = loc.parsed.text;
      const updated = text.slice(0, loc.node.offset) + JSON.stringify(next) + text.slice(loc.node.offset + loc.node.length);
      await writeAtomically(loc.parsed.file, (out) => out.write(Buffer.from(updated, 'utf8')));
      return { previous: v.value, next, changed: loc.parsed.file };
    }
    case 'git-describe': {
      const previous = highestSemverTag(await git(folder, ['tag', '--merged', 'HEAD'])) ?? '0.0.0';
      const next = formatSemver(bumpSemver(requireSemver(previous, 'git describe'), kind));
      const tagged = await git(folder, ['tag', `v${next}`]);
      if (tagged === undefined) {
        throw new OtaError(`git tag v${next} failed`, { where: folder, hint: 'Check that the folder is a git repository with a commit, and that the tag does not exist yet.', code: 'version-bump-failed' });
      }
      return { previous, next, changed: `git tag v${next}` };
    }
    case 'image':
      throw new OtaError(`channel ${channel.name} takes its version from the image, so it is bumped in the firmware build`, {
        hint: 'Raise PROJECT_VER / CONFIG_APP_PROJECT_VER (ESP-IDF) or the imgtool --version of the build (MCUboot), or re-stamp a built image with ota image restamp.',
        code: 'version-source-image',
      });
  }
}

import { bumpSemver, compareSemver, formatSemver, parseSemver } from './semver';

/**
 * The label a new release is offered under: the version inside the image (what devices will
 * report), else the channel's version source; when that label is already released, the next
 * patch above every release so far, so the suggestion can always be accepted as it is.
 */
export function suggestReleaseLabel(input: { embedded?: string; channelLabel?: string; released: readonly string[] }): string {
  const candidates = [input.embedded, input.channelLabel].filter((v): v is string => v !== undefined && parseSemver(v) !== undefined);
  const taken = new Set(input.released);
  const first = candidates.find((c) => !taken.has(c));
  if (first) return first;
  const highest = [...input.released, ...candidates]
    .map((v) => parseSemver(v))
    .filter((v) => v !== undefined)
    .sort(compareSemver)
    .at(-1);
  return highest ? formatSemver(bumpSemver(highest, 'patch')) : '1.0.0';
}

export type LabelProblem = 'empty' | 'not-semver' | 'exists';

/** Why a typed label cannot be used, or undefined when it can. */
export function releaseLabelProblem(text: string, released: readonly string[]): LabelProblem | undefined {
  const label = text.trim();
  if (!label) return 'empty';
  if (!parseSemver(label)) return 'not-semver';
  if (released.includes(label)) return 'exists';
  return undefined;
}

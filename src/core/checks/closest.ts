import { editDistance } from '../text/editDistance';

/** The known names, closest to `typed` first (ties keep the config's order), without duplicates or `typed` itself. */
export function closestFirst(typed: string, known: readonly string[]): string[] {
  const unique = [...new Set(known)].filter((k) => k !== typed);
  return unique.map((name, i) => ({ name, i, d: editDistance(typed, name) })).sort((a, b) => a.d - b.d || a.i - b.i).map((e) => e.name);
}

import { isPlainObject } from '../config/merged';
import { defaultSourceNames } from './sourcePatterns';
import type { SourceNames } from './sourcePatterns';

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The macro names a workspace's firmware uses: `sourceNames` in the config (each list replaces
 * the default for its field), read leniently so a half-typed config still checks its sources.
 */
export function sourceNamesOf(configValue: unknown): SourceNames {
  const given = isPlainObject(configValue) && isPlainObject(configValue.sourceNames) ? configValue.sourceNames : {};
  const pick = (field: keyof SourceNames): readonly string[] => {
    const list = given[field];
    const names = Array.isArray(list) ? list.filter((n): n is string => typeof n === 'string' && identifier.test(n.replace(/^CONFIG_/, ''))).map((n) => n.replace(/^CONFIG_/, '')) : [];
    return names.length ? names : defaultSourceNames[field];
  };
  return { firmwareKey: pick('firmwareKey'), channel: pick('channel'), pid: pick('pid') };
}

import type { ConfigCheckResult } from '../config/check';
import { configFacts } from './configFacts';
import { describeIdentity } from './configHover';
import type { ConfigHover } from './configHover';
import type { SourceDeclaration } from './sourcePatterns';

/**
 * The hover for a declaration's string in a firmware source: what the config says about that PID,
 * key or channel (a channel of the PID the same file declares, when it does).
 */
export function sourceHoverAt(declarations: readonly SourceDeclaration[], offset: number, config: ConfigCheckResult): ConfigHover | undefined {
  const d = declarations.find((x) => offset >= x.offset && offset <= x.offset + x.length);
  if (!d || !config.merged) return undefined;
  const pid = declarations.find((x) => x.field === 'pid')?.value;
  const role = d.field === 'pid' ? { kind: 'pid' as const, pid: d.value } : d.field === 'firmwareKey' ? { kind: 'key' as const, key: d.value } : { kind: 'channel' as const, name: d.value, pid };
  return { markdown: describeIdentity(configFacts(config.merged.value), role), offset: d.offset, length: d.length };
}

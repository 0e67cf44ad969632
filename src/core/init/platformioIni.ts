/** platformio.ini as sections of keys; a value continued on indented lines keeps them joined by `\n`. */
export type IniSections = Map<string, Map<string, string>>;

export function parsePlatformioIni(text: string): IniSections {
  const sections: IniSections = new Map();
  let current: Map<string, string> | undefined;
  let lastKey: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    if (/^\s*[;#]/.test(raw) || raw.trim() === '') continue;
    // Inline comments need a space before ';' (PlatformIO's rule), so -DX=a;b stays whole.
    const line = raw.replace(/\s;.*$/, '');
    const section = /^\s*\[([^\]]+)\]/.exec(line);
    if (section) {
      current = sections.get(section[1]!.trim()) ?? new Map<string, string>();
      sections.set(section[1]!.trim(), current);
      lastKey = undefined;
      continue;
    }
    if (!current) continue;
    const pair = /^(\S[^=]*?)\s*=\s*(.*)$/.exec(line);
    if (pair && !/^\s/.test(line)) {
      lastKey = pair[1]!.trim();
      current.set(lastKey, pair[2]!.trim());
    } else if (lastKey !== undefined) {
      const before = current.get(lastKey) ?? '';
      current.set(lastKey, before ? `${before}\n${line.trim()}` : line.trim());
    }
  }
  return sections;
}

/**
 * The environment `pio run` builds first (the first of `default_envs`, else the first `[env:…]`)
 * and its platform, following `extends` and the common `[env]` section as PlatformIO does.
 */
export function pioEnvironment(text: string): { env?: string; platform?: string } {
  const sections = parsePlatformioIni(text);
  const defaults = sections.get('platformio')?.get('default_envs')?.split(/[\s,]+/).filter(Boolean) ?? [];
  const env = defaults[0] ?? [...sections.keys()].find((s) => s.startsWith('env:'))?.slice(4);
  const platformOf = (name: string, seen: Set<string>): string | undefined => {
    if (seen.has(name)) return undefined;
    seen.add(name);
    const section = sections.get(name);
    const own = section?.get('platform');
    if (own) return own.split('\n')[0];
    for (const parent of section?.get('extends')?.split(/[\s,]+/).filter(Boolean) ?? []) {
      const inherited = platformOf(parent, seen);
      if (inherited) return inherited;
    }
    return undefined;
  };
  const platform = (env ? platformOf(`env:${env}`, new Set()) : undefined) ?? sections.get('env')?.get('platform')?.split('\n')[0];
  return { ...(env ? { env } : {}), ...(platform ? { platform } : {}) };
}

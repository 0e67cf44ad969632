import type { CommandSpec, OptionSpec } from './command';
import { verboseOption } from './options';

/**
 * Shell completion scripts written from the command table, so a new command or option completes
 * without touching this file. bash gets a completion function; zsh loads the same function through
 * its bashcompinit layer (shipped with zsh), which keeps one script to test.
 */
export const completionShells = ['bash', 'zsh'] as const;
export type CompletionShell = (typeof completionShells)[number];

export function completionScript(shell: CompletionShell, specs: readonly CommandSpec[]): string {
  const body = bashFunction(specs);
  if (shell === 'bash') return `# ota completion for bash: eval "$(ota completion bash)" in ~/.bashrc\n${body}complete -o default -F _ota ota\n`;
  return `#compdef ota\n# ota completion for zsh: eval "$(ota completion zsh)" in ~/.zshrc\nautoload -U +X bashcompinit && bashcompinit\n${body}complete -o default -F _ota ota\n`;
}

function words(list: readonly string[]): string {
  return list.join(' ');
}

/** The visible spellings of an option (-k and --signing-key); hidden old spellings are left out. */
function spellings(option: OptionSpec): string[] {
  if (option.aliasOf) return [];
  return option.flags.split(/[ ,]+/).filter((w) => w.startsWith('-'));
}

function bashFunction(specs: readonly CommandSpec[]): string {
  const top = [...new Set(specs.map((s) => s.path[0]!)), 'help'];
  const groups = new Map<string, string[]>();
  for (const s of specs) if (s.path.length === 2) groups.set(s.path[0]!, [...(groups.get(s.path[0]!) ?? []), s.path[1]!]);
  const cases: string[] = [];
  cases.push(`    '') opts='--help --version --verbose'; subs='${words(top)}' ;;`);
  cases.push(`    help) subs='${words(top.filter((w) => w !== 'help'))}' ;;`);
  for (const [group, subs] of groups) {
    if (!specs.some((s) => s.path.length === 1 && s.path[0] === group)) cases.push(`    ${group}) opts='--help'; subs='${words(subs)}' ;;`);
  }
  for (const spec of specs) {
    const options = [...spec.options, verboseOption];
    const all = [...options.flatMap(spellings), '--help'];
    const valueCases = options
      .filter((o) => !o.aliasOf && o.flags.includes('<'))
      .map((o) => {
        const names = spellings(o).join('|');
        return o.choices ? `        ${names}) COMPREPLY=($(compgen -W '${words(o.choices)}' -- "$cur")); return ;;` : `        ${names}) return ;;`;
      });
    const subs = spec.path.length === 1 ? groups.get(spec.path[0]!) : undefined;
    cases.push(
      [
        `    '${spec.path.join(' ')}')`,
        ...(valueCases.length ? ['      case "$prev" in', ...valueCases, '      esac'] : []),
        `      opts='${words(all)}'${subs ? `; subs='${words(subs)}'` : ''} ;;`,
      ].join('\n'),
    );
  }
  return `_ota() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
  local cmd='' used=0 i w opts='' subs=''
  # The command is the first word, plus a second one for grouped commands (image info).
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    case "$w" in -*) break ;; esac
    if [[ -z "$cmd" ]]; then cmd="$w"; used=1
    else
      case "$cmd $w" in
${[...groups].flatMap(([g, subs]) => subs.map((s) => `        '${g} ${s}') cmd="$cmd $w"; used=2 ;;`)).join('\n')}
      esac
      break
    fi
  done
  case "$cmd" in
${cases.join('\n')}
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
  elif [[ -n "$subs" && $used -eq $((COMP_CWORD - 1)) ]]; then
    COMPREPLY=($(compgen -W "$subs" -- "$cur"))
  fi
}
`;
}

import type { CommandSpec } from '../command';

/** About the CLI itself. `help` is not here: program.ts answers it from the parser's own help. */
export const metaCommandSpecs: readonly CommandSpec[] = [
  {
    path: ['version'],
    summary: 'print the OTA Workbench version (same as ota --version)',
    options: [],
    load: async () => (await import('../commands/version.js')).versionCommand,
  },
  {
    path: ['completion'],
    summary: 'print a shell completion script: eval "$(ota completion bash)" in ~/.bashrc, or zsh in ~/.zshrc',
    args: ['<SHELL>'],
    options: [],
    notes: 'SHELL is bash or zsh.',
    load: async () => (await import('../commands/completion.js')).completionCommand,
  },
];

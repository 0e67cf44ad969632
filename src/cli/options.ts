import type { OptionSpec } from './command';

/**
 * Options several commands share, written once so they mean the same everywhere: --json,
 * --server, --channel, the firmware key (--fw-key) and the signing key (-k/--signing-key).
 */

export const jsonOption: OptionSpec = { flags: '--json', description: 'print the result as JSON on stdout (failures too, as { ok: false, error }); see docs/cli.md' };

export const verboseOption: OptionSpec = { flags: '--verbose', description: 'print debug lines and stack traces on stderr' };

/** The management API of an OTA Workbench server (ota serve, or one deployed elsewhere). */
export const serverOptions: readonly OptionSpec[] = [
  { flags: '--server <URL>', description: 'the OTA server (default: $OTA_SERVER_URL)' },
  { flags: '--token-env <VAR>', description: 'environment variable that holds the management token (default: OTA_SERVER_TOKEN)' },
  { flags: '--ca <FILE>', description: "CA certificate (PEM) to trust for an https server, e.g. from 'ota ca'" },
];
export const serverEnv = ['OTA_SERVER_URL', 'OTA_SERVER_TOKEN'] as const;

/**
 * Any configured server (ours, a remote one, hawkBit): `--server` is a URL of an OTA Workbench
 * server or the name of a servers[] entry of .vscode/ota.json (see providerFlags.ts).
 */
export const providerServerOptions: readonly OptionSpec[] = [
  { flags: '--server <NAME|URL>', description: "a servers[] entry of .vscode/ota.json, or an OTA server's URL (default: the config's defaultServer, then $OTA_SERVER_URL)" },
  { flags: '--folder <DIR>', description: 'the workspace folder holding .vscode/ota.json (default: the current directory)' },
  { flags: '--token-env <VAR>', description: 'with --server URL: environment variable that holds the management token (default: OTA_SERVER_TOKEN)' },
  { flags: '--ca <FILE>', description: "with --server URL: CA certificate (PEM) to trust for an https server, e.g. from 'ota ca'" },
];

/** The channel of .vscode/ota.json a workspace command works on. */
export const workspaceChannelOptions: readonly OptionSpec[] = [
  { flags: '--channel <C>', description: 'the channel (firmware type) in .vscode/ota.json; may be left out when there is one' },
  { flags: '--pid <P>', description: 'the product, when several products have a channel of that name' },
  { flags: '--folder <DIR>', description: 'the workspace folder holding .vscode/ota.json (default: the current directory)' },
];

/** The firmware key devices report (the seed's "key"): which devices a release is for. */
export function fwKeyOptions(description: string): OptionSpec[] {
  return [
    { flags: '--fw-key <K>', description },
    { flags: '--key <K>', description: '', aliasOf: 'fw-key' },
  ];
}

/** The key that signs (or, for checks, verifies) an image or manifest. */
export function signingKeyOptions(description: string): OptionSpec[] {
  return [
    { flags: '-k, --signing-key <KEY>', description: `${description}: a PEM file, or env:NAME for a PEM held in an environment variable` },
    { flags: '--key <KEY>', description: '', aliasOf: 'signing-key' },
    { flags: '--passphrase-env <NAME>', description: 'environment variable that holds the key\'s passphrase (default: OTA_KEY_PASSPHRASE)' },
  ];
}
export const signingEnv = ['OTA_KEY_PASSPHRASE'] as const;

/** What each environment variable does, for `ota --help`, command help and docs/cli.md. */
export const environmentVariables: Record<string, string> = {
  OTA_SERVER_URL: 'the OTA server when --server is not given (push, deploy, status, bind, watch)',
  OTA_SERVER_TOKEN: 'the management token of that server (another variable: --token-env)',
  OTA_KEY_PASSPHRASE: 'the passphrase of an encrypted signing key (another variable: --passphrase-env)',
  OTA_SECRET_NAME: 'a secret that .vscode/ota.json names as ${secret:NAME} (e.g. OTA_SECRET_SIGNING_KEY)',
};

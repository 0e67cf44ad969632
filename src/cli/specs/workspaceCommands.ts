import type { CommandSpec } from '../command';
import { jsonOption, signingEnv, signingKeyOptions, workspaceChannelOptions } from '../options';

/** The workspace's .vscode/ota.json: set it up, check it, build, version and release its channels. */
export const workspaceCommandSpecs: readonly CommandSpec[] = [
  {
    path: ['init'],
    summary: 'detect the build system and write a starter .vscode/ota.json (never overwrites without --force)',
    args: ['[FOLDER]'],
    options: [{ flags: '--force', description: 'replace an existing .vscode/ota.json' }, jsonOption],
    load: async () => (await import('../commands/init.js')).initCommand,
  },
  {
    path: ['config', 'validate'],
    summary: 'check .vscode/ota.json (and ota.local.json over it); --artifacts also checks that build outputs exist',
    args: ['[FOLDER]'],
    options: [{ flags: '--artifacts', description: "also check that each channel's build output exists" }, jsonOption],
    load: async () => (await import('../commands/configValidate.js')).configValidateCommand,
  },
  {
    path: ['check'],
    summary: 'check the OTA identity firmware sources declare (OTA_FW_KEY, OTA_CHANNEL, OTA_PID) against .vscode/ota.json',
    args: ['[FOLDER]'],
    options: [jsonOption],
    load: async () => (await import('../commands/check.js')).checkCommand,
  },
  {
    path: ['build'],
    summary: "run the channel's build command, stream its output, find the artifact, record build metadata",
    options: [...workspaceChannelOptions, jsonOption],
    load: async () => (await import('../commands/build.js')).buildCommand,
  },
  {
    path: ['version', 'bump'],
    summary: "raise the channel's release label in its version source (file, config value or git tag)",
    args: ['<PART>'],
    options: [...workspaceChannelOptions, jsonOption],
    notes: 'PART is patch, minor or major.',
    load: async () => (await import('../commands/versionBump.js')).versionBumpCommand,
  },
  {
    path: ['version', 'show'],
    summary: 'release label and embedded version of each channel, side by side, with the latest release',
    options: [...workspaceChannelOptions, { flags: '--releases <DIR>', description: 'where releases are kept (default: .ota/releases)' }, jsonOption],
    load: async () => (await import('../commands/versionShow.js')).versionShowCommand,
  },
  {
    path: ['release', 'create'],
    summary: 'build output → signed release + manifest; --stress and --rollback-from re-release older bytes; says what devices will do',
    options: [
      ...workspaceChannelOptions,
      { flags: '--stress', description: 'release the latest release\'s bytes again under the next label (stress test)' },
      { flags: '--rollback-from <V>', description: 'release the bytes of release V under the next, higher label (rollback)' },
      { flags: '--restamp', description: 'write the label into the image as its embedded version (re-signing it)' },
      { flags: '--label <L>', description: 'the release label (default: from the channel\'s version source)' },
      { flags: '--no-build', description: 'use the existing build output instead of building first' },
      ...signingKeyOptions("sign with this key instead of the channel's signing key"),
      { flags: '--production', description: 'refuse the public test keys instead of warning' },
      { flags: '--hmac-secret-env <NAME>', description: 'environment variable holding the device secret, to add an HMAC-SHA256 to the manifest' },
      { flags: '--device-version <V>', description: 'the embedded version devices run now, to predict whether they accept the release' },
      { flags: '--device-secure-version <N>', description: 'with --device-version: their ESP-IDF secure_version' },
      { flags: '--releases <DIR>', description: 'where releases are kept (default: .ota/releases)' },
      jsonOption,
    ],
    env: signingEnv,
    load: async () => (await import('../commands/releaseCreate.js')).releaseCreateCommand,
  },
];

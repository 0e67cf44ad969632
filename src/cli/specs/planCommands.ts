import type { CommandSpec, OptionSpec } from '../command';
import { jsonOption, providerServerOptions, serverEnv, signingEnv, signingKeyOptions, workspaceChannelOptions } from '../options';
// faults.ts only: the spec is loaded at every start, the simulator only when a run needs it.
import { faultSyntax } from '../../device/simulator/faults';

/** Who a run deploys to and waits for, and the simulated fleet it may start. */
const fleetOptions: readonly OptionSpec[] = [
  { flags: '--devices <ID,...>', description: 'deploy to these devices and wait for them (default: every device that reports the channel)', repeatable: true },
  { flags: '--simulate <N>', description: 'start N simulated devices here (OTA Workbench servers), running the channel\'s latest release' },
  { flags: '--behaviour <B>', description: 'with --simulate: how the devices check an image (default: plain)', choices: ['plain', 'esp-idf', 'mcuboot'] },
  { flags: '--fault <F>', description: 'with --simulate: a fault, re-armed every cycle; may be repeated (see below)', repeatable: true },
  { flags: '--poll <SECONDS>', description: 'with --simulate: how often the devices poll (default: 1)' },
  { flags: '--cycle-timeout <SECONDS>', description: 'longest wait for every device\'s outcome in a cycle; a device still silent is recorded as timed out (default: 600)' },
];

const releaseOptions: readonly OptionSpec[] = [
  ...signingKeyOptions("sign the releases with this key instead of the channel's signing key"),
  { flags: '--production', description: 'refuse the public test keys instead of warning' },
  { flags: '--hmac-secret-env <NAME>', description: 'environment variable holding the device secret, to add an HMAC-SHA256 to each manifest' },
  { flags: '--releases <DIR>', description: 'where releases are kept (default: .ota/releases)' },
];

// --folder is in both lists: keep one.
const serverOptions = providerServerOptions.filter((o) => !o.flags.startsWith('--folder'));

/** The seed's test plan as runs with a report: stress test and rollback. */
export const planCommandSpecs: readonly CommandSpec[] = [
  {
    path: ['stress'],
    summary: 'stress test: release the same image under the next label, deploy, wait for every device, N times; writes .ota/reports/<run>/',
    options: [...workspaceChannelOptions, { flags: '--cycles <N>', description: 'how many releases in a row (default: 3)' }, ...serverOptions, ...fleetOptions, ...releaseOptions, jsonOption],
    env: [...serverEnv, ...signingEnv],
    notes: `Faults (--fault F, with --simulate):\n  [DEVICES=]FAULT  DEVICES: numbers, ranges or ids (1-5,8,sim-10); default every device\n  ${faultSyntax.join('\n  ')}\nExample:\n  ota stress --channel main --cycles 3 --server local --simulate 10 --fault 1-3=drop:5s@50% --fault 4-5=drop:90s@50%\nCtrl-C stops after writing the report of what finished.`,
    load: async () => (await import('../commands/stress.js')).stressCommand,
  },
  {
    path: ['rollback'],
    summary: 'roll back: predict per device whether the old image under a higher label installs, then release, deploy and report outcome against prediction',
    options: [
      ...workspaceChannelOptions,
      { flags: '--to <VERSION>', description: 'the release whose image goes out again (required)' },
      { flags: '--yes', description: 'release and deploy without asking' },
      { flags: '--dry-run', description: 'only predict; release nothing' },
      ...serverOptions,
      ...fleetOptions,
      ...releaseOptions,
      jsonOption,
    ],
    env: [...serverEnv, ...signingEnv],
    notes: 'The prediction models ESP-IDF (the OTA example\'s version check, anti-rollback secure_version) and MCUboot (downgrade prevention, security counter). A device\'s secure_version comes from what it reports (secure_version attribute), else the release it installed.',
    load: async () => (await import('../commands/rollback.js')).rollbackCommand,
  },
];

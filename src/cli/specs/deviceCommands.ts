import type { CommandSpec } from '../command';
import { fwKeyOptions } from '../options';
import { faultSyntax } from '../../device/simulator/faults';

/** Devices: simulated ones that really update, and real ones on a serial port. */
export const deviceCommandSpecs: readonly CommandSpec[] = [
  {
    path: ['simulate'],
    summary: 'run simulated devices that update over hawkBit DDI from an OTA server (faults on demand)',
    options: [
      { flags: '--server <URL>', description: 'the OTA server the devices poll, e.g. http://127.0.0.1:8080 from ota serve (required)' },
      { flags: '--count <N>', description: 'how many devices (default: 1)' },
      { flags: '--pid <P>', description: 'the product the devices report (default: P1)' },
      ...fwKeyOptions('the firmware key the devices report (default: K1)'),
      { flags: '--channel <C>', description: 'the channel the devices report (default: main)' },
      { flags: '--version <V>', description: 'the version the devices run at start (default: 1.0.0)' },
      { flags: '--image <FILE>', description: 'the firmware the devices run at start (default: a synthetic image)' },
      { flags: '--behaviour <B>', description: 'how a device checks and installs an image (default: plain)', choices: ['plain', 'esp-idf', 'mcuboot'] },
      { flags: '--bootloader-key <PEM>', description: 'mcuboot: the key the simulated bootloader verifies with' },
      { flags: '--protocol <P>', description: 'the update protocol (default: ddi)', choices: ['ddi', 'arduino'] },
      { flags: '--hawkbit-client <C>', description: "with --protocol ddi: whose hawkBit client the devices speak as, ours or Zephyr's (its part, limits and feedback) (default: workbench)", choices: ['workbench', 'zephyr'] },
      { flags: '--arduino-core <CORE>', description: "with --protocol arduino: which Arduino core's updater the devices speak as", choices: ['esp32', 'esp8266'] },
      { flags: '--free-space <BYTES>', description: 'with --protocol arduino: the free sketch space the devices report and check' },
      { flags: '--serial-pty', description: "print the first device's console to a pseudo-terminal" },
      { flags: '--fault <F>', description: 'inject a fault; may be repeated (see below)', repeatable: true },
      { flags: '--id-prefix <S>', description: 'device IDs are PREFIX-1, PREFIX-2, ... (default: sim)' },
      { flags: '--dir <DIR>', description: "keep the devices' flash here (default: a temporary folder removed at exit)" },
      { flags: '--poll <SECONDS>', description: 'poll interval' },
      { flags: '--secret-env <VAR>', description: 'environment variable holding the device secret' },
      { flags: '--duration <SECONDS>', description: 'stop after this long' },
      { flags: '--control', description: 'read commands from stdin: drop N, fault F, status' },
      { flags: '--json', description: 'a JSON summary every 2 s on stderr and the final one on stdout' },
    ],
    notes: `Faults (--fault F):\n  ${faultSyntax.join('\n  ')}`,
    load: async () => (await import('../commands/simulate.js')).simulateCommand,
  },
  {
    path: ['monitor'],
    summary: "watch a device's serial console as normalized OTA events (reconnects by itself; CI: --until / --fail-on)",
    args: ['[PORT]'],
    options: [
      { flags: '--list', description: 'list serial ports instead of opening one' },
      { flags: '--port <PATH,...>', description: 'with --list: also check these paths' },
      { flags: '--baud <N>', description: 'baud rate (default: 115200)' },
      { flags: '--parser <P>', description: 'how to read the log (default: auto)', choices: ['esp-idf', 'zephyr', 'mcuboot', 'arduino', 'simulator', 'plain', 'auto'] },
      { flags: '--device <NAME>', description: 'a device of .vscode/ota.json: its logParser and logRules' },
      { flags: '--until <KIND,...>', description: 'exit 0 at the first event of these kinds' },
      { flags: '--fail-on <KIND,...>', description: 'exit 1 at the first event of these kinds' },
      { flags: '--duration <SECONDS>', description: 'stop after this long (exit 1 if --until was not met)' },
      { flags: '--json', description: 'one JSON event per line on stdout instead of the console text' },
    ],
    load: async () => (await import('../commands/monitor.js')).monitorCommand,
  },
];

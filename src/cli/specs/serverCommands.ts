import type { CommandSpec, OptionSpec } from '../command';
import { fwKeyOptions, jsonOption, serverEnv, serverOptions } from '../options';

const tlsHostOption: OptionSpec = { flags: '--tls-host <H,...>', description: 'extra host names or addresses for the TLS certificate' };
const dataOption: OptionSpec = { flags: '--data <DIR>', description: "the server's data folder (default: ~/.ota-workbench/server)" };

/** The OTA server: run it, and talk to it (one running here or deployed elsewhere). */
export const serverCommandSpecs: readonly CommandSpec[] = [
  {
    path: ['serve'],
    summary: 'run the local OTA server (hawkBit DDI, Arduino HTTPUpdate, plain URLs, management API)',
    options: [
      { flags: '--port <P>', description: 'TCP port (default: 8080; 0 picks a free one)' },
      { flags: '--host <H>', description: 'address to listen on (default: 127.0.0.1; another one warns that the network can reach it)' },
      dataOption,
      { flags: '--tls', description: 'serve https with a CA of its own (see ota ca)' },
      tlsHostOption,
      { flags: '--token-file <F>', description: 'the management token file, created if missing (default: DATA/token)' },
      { flags: '--device-token-file <F>', description: 'require this token from devices too (created if missing)' },
      { flags: '--offline-timeout <SECONDS>', description: 'how long a device may drop off and still resume (default: 60)' },
      { flags: '--install-timeout <SECONDS>', description: 'how long a device may take to install and come back' },
      { flags: '--min-bandwidth <KBPS>', description: 'sessions slower than this are marked slow (default: 20)' },
      { flags: '--public-host <NAME,...>', description: "host names browsers may reach it by besides the machine's own names and addresses (others are a 421)" },
      { flags: '--tenant <NAME>', description: 'the hawkBit DDI tenant in device URLs (default: DEFAULT)' },
      { flags: '--max-devices <N>', description: 'how many devices it keeps in all (default: 10000)' },
      { flags: '--new-devices-per-minute <N>', description: 'how many new device ids it accepts a minute (default: 3000)' },
      { flags: '--idle-timeout <SECONDS>', description: 'close a connection that sends no byte for this long (default: 30)' },
    ],
    load: async () => (await import('../commands/serve.js')).serveCommand,
  },
  {
    path: ['push'],
    summary: 'upload an image to an OTA Workbench server as a release, optionally deploy it',
    args: ['<FILE>'],
    options: [
      ...serverOptions,
      { flags: '--pid <P>', description: 'the product the release is for (required)' },
      ...fwKeyOptions('the firmware key of the devices it is for (required)'),
      { flags: '--channel <C>', description: 'the channel (firmware type) it is for (required)' },
      { flags: '--label <V>', description: 'the release label (default: 0.0.0)' },
      { flags: '--part <NAME>', description: 'the DDI chunk part (default: bApp; Zephyr accepts only bApp, spiffs marks an Arduino filesystem image)' },
      { flags: '--manifest <FILE>', description: 'the signed manifest ota release create wrote, served to devices as is' },
      { flags: '--deploy', description: 'deploy the release right away' },
      { flags: '--devices <ID,...>', description: 'with --deploy: only these devices (default: every matching device)' },
      { flags: '--forced', description: 'with --deploy: a forced deployment instead of a soft one' },
      jsonOption,
    ],
    env: serverEnv,
    load: async () => (await import('../commands/push.js')).pushCommand,
  },
  {
    path: ['status'],
    summary: 'show an OTA server: devices and what they report, update sessions, why updates are not offered',
    options: [...serverOptions, jsonOption],
    env: serverEnv,
    load: async () => (await import('../commands/status.js')).statusCommand,
  },
  {
    path: ['bind'],
    summary: 'bind firmware keys to a PID on an OTA server, so devices reporting them are offered its deployments',
    options: [...serverOptions, { flags: '--pid <P>', description: 'the product (required)' }, ...fwKeyOptions('the firmware keys to bind, comma-separated (required)'), jsonOption],
    env: serverEnv,
    load: async () => (await import('../commands/bind.js')).bindCommand,
  },
  {
    path: ['watch'],
    summary: 'follow an OTA server live: update sessions, device reports, why updates are not offered',
    options: [...serverOptions, { flags: '--for <SECONDS>', description: 'stop after this long (default: until Ctrl-C)' }, { flags: '--json', description: 'one JSON event per line on stdout' }],
    env: serverEnv,
    load: async () => (await import('../commands/watch.js')).watchCommand,
  },
  {
    path: ['ca'],
    summary: "export the local OTA server's CA certificate (PEM, or a C header for firmware)",
    options: [
      dataOption,
      tlsHostOption,
      { flags: '--format <F>', description: 'pem, or c for a C header (default: pem)', choices: ['pem', 'c'] },
      { flags: '-o, --output <FILE>', description: 'write it here instead of stdout' },
      { flags: '--out <FILE>', description: '', aliasOf: 'output' },
    ],
    load: async () => (await import('../commands/ca.js')).caCommand,
  },
];

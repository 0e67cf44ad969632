import * as readline from 'node:readline';
import { describeError } from '../core/errors';
import { describeFault, parseFault } from '../device/simulator/faults';
import type { SimFleet } from '../device/simulator/fleet';
import type { SimulatedDevice } from '../device/simulator/simulatedDevice';

export const controlHelp = [
  'drop SECONDS [ID…]     cut the network now',
  'fault SPEC [ID…]       add a fault (same forms as --fault), e.g. fault power-loss@50%',
  'status                 phases, versions, installs',
  'help',
].join('\n');

/**
 * Faults on demand while a fleet runs: one command per input line (a demo's "pull the plug now").
 * Without IDs a command applies to every device. Returns a function that stops listening.
 */
export function acceptControlCommands(input: NodeJS.ReadableStream, fleet: SimFleet, out: NodeJS.WritableStream): () => void {
  const lines = readline.createInterface({ input, terminal: false });
  lines.on('line', (line) => {
    const [command, arg, ...ids] = line.trim().split(/\s+/);
    if (!command) return;
    const targets = ids.length ? fleet.devices.filter((d) => ids.includes(d.id)) : fleet.devices;
    const unknown = ids.filter((id) => !fleet.devices.some((d) => d.id === id));
    try {
      if (unknown.length) throw new Error(`no simulated device ${unknown.join(', ')}`);
      out.write(`${run(command, arg, targets, fleet)}\n`);
    } catch (err) {
      out.write(`error: ${describeError(err)}\n`);
    }
  });
  return () => lines.close();
}

function run(command: string, arg: string | undefined, targets: SimulatedDevice[], fleet: SimFleet): string {
  switch (command) {
    case 'drop': {
      const seconds = Number(arg);
      if (!(seconds > 0)) throw new Error('drop needs a number of seconds, e.g. drop 10');
      for (const d of targets) d.dropNetwork(seconds * 1000);
      return `network down for ${seconds} s on ${targets.length} device(s)`;
    }
    case 'fault': {
      if (!arg) throw new Error('fault needs a spec, e.g. fault flip@1000');
      const fault = parseFault(arg);
      for (const d of targets) d.injectFault(fault);
      return `${describeFault(fault)} on ${targets.length} device(s)`;
    }
    case 'status': {
      const s = fleet.summary();
      const phases = Object.entries(s.phases).map(([k, v]) => `${k} ${v}`).join(', ');
      const versions = Object.entries(s.versions).map(([k, v]) => `${k}×${v}`).join(' ');
      return `${s.count} devices: ${phases}; versions ${versions}; installs ${s.installs}, rollbacks ${s.rollbacks}`;
    }
    case 'help':
      return controlHelp;
    default:
      throw new Error(`unknown command '${command}'; try: help`);
  }
}

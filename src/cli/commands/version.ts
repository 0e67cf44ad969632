import type { CliCommand } from '../command';
import { productVersion } from '../../core/product';

export const versionCommand: CliCommand = {
  path: ['version'],
  summary: 'print the OTA Workbench version',
  usage: 'ota version',
  run: async (ctx) => {
    ctx.stdout.write(`ota-workbench ${productVersion}\n`);
    return 0;
  },
};

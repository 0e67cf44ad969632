import type { CommandRun } from '../command';
import { productVersion } from '../../core/product';

export const versionCommand: CommandRun = async (ctx) => {
  ctx.stdout.write(`ota-workbench ${productVersion}\n`);
  return 0;
};

import type { CliCommand } from './command';
import { imageInfoCommand } from './commands/imageInfo';
import { keyGenerateCommand } from './commands/keyGenerate';
import { keyShowCommand } from './commands/keyShow';
import { signCommand } from './commands/sign';
import { versionCommand } from './commands/version';

/** Every CLI command, one module each. Add new commands here. */
export const commands: readonly CliCommand[] = [versionCommand, imageInfoCommand, signCommand, keyGenerateCommand, keyShowCommand];

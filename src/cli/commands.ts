import type { CliCommand } from './command';
import { configValidateCommand } from './commands/configValidate';
import { imageInfoCommand } from './commands/imageInfo';
import { imageRestampCommand } from './commands/imageRestamp';
import { initCommand } from './commands/init';
import { keyGenerateCommand } from './commands/keyGenerate';
import { keyShowCommand } from './commands/keyShow';
import { signCommand } from './commands/sign';
import { verifyCommand } from './commands/verify';
import { buildCommand } from './commands/build';
import { versionBumpCommand } from './commands/versionBump';
import { versionShowCommand } from './commands/versionShow';
import { releaseCreateCommand } from './commands/releaseCreate';
import { versionCommand } from './commands/version';
import { bindCommand } from './commands/bind';
import { watchCommand } from './commands/watch';
import { caCommand } from './commands/ca';
import { pushCommand } from './commands/push';
import { serveCommand } from './commands/serve';
import { statusCommand } from './commands/status';
import { simulateCommand } from './commands/simulate';
import { checkCommand } from './commands/check';
import { monitorCommand } from './commands/monitor';
import { deployCommand } from './commands/deploy';
import { rolloutCommands } from './commands/rollout';

/** Every CLI command, one module each. Add new commands here. */
export const commands: readonly CliCommand[] = [versionCommand, imageInfoCommand, signCommand, keyGenerateCommand, keyShowCommand, initCommand, configValidateCommand, serveCommand, pushCommand, deployCommand, ...rolloutCommands, statusCommand, caCommand, bindCommand, watchCommand, verifyCommand, imageRestampCommand, buildCommand, versionBumpCommand, versionShowCommand, releaseCreateCommand, simulateCommand, monitorCommand, checkCommand];

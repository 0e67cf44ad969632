import type { CommandSpec } from './command';
import { deviceCommandSpecs } from './specs/deviceCommands';
import { imageCommandSpecs } from './specs/imageCommands';
import { metaCommandSpecs } from './specs/metaCommands';
import { planCommandSpecs } from './specs/planCommands';
import { serverCommandSpecs } from './specs/serverCommands';
import { workspaceCommandSpecs } from './specs/workspaceCommands';

/**
 * Every CLI command in the order `ota --help` lists them. To add a command: a spec in one of the
 * specs/ files (its words, summary, options) and its body in commands/ (one file, loaded only when
 * it runs). To add an option: one line in the spec, read by its long name in the body.
 */
export const commandSpecs: readonly CommandSpec[] = [...workspaceCommandSpecs, ...imageCommandSpecs, ...serverCommandSpecs, ...deviceCommandSpecs, ...planCommandSpecs, ...metaCommandSpecs];

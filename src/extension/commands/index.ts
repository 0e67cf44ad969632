import type { ExtensionServices } from '../context';
import { verifyImage } from './verifyImage';
import { signImage } from './signImage';
import { generateKey } from './generateKey';
import { createRelease } from './createRelease';
import { copyDemoSetup, runDemo, stopDemo } from './demoCommands';
import { initWorkspace } from './initWorkspace';
import { moveSecretToStorage } from './moveSecret';
import { openLiveView } from './liveView';
import { openConfig } from './openConfig';
import { pushRelease } from './pushRelease';
import { rollBack } from '../plan/rollBack';
import { showReport } from '../plan/reportPanel';
import { runStressTest } from '../plan/runStressTest';
import { refresh } from './refresh';
import { revealInConfig } from './revealInConfig';
import { copyDeviceToken, startServer, stopServer } from './serverCommands';
import { showLog } from './showLog';
import { showVersion } from './showVersion';
import { storeSecret } from './storeSecret';

/** A command handler receives the services, then whatever VS Code passes. */
export type CommandHandler = (services: ExtensionServices, ...args: unknown[]) => unknown;

/** Every contributed command, registered in one loop by `activate`. Keep in step with package.json. */
export const commandTable: Readonly<Record<string, CommandHandler>> = {
  'ota.showVersion': showVersion,
  'ota.refresh': refresh,
  'ota.openConfig': openConfig,
  'ota.showLog': showLog,
  'ota.initWorkspace': initWorkspace,
  'ota.storeSecret': storeSecret,
  'ota.startServer': startServer,
  'ota.stopServer': stopServer,
  'ota.copyDeviceToken': copyDeviceToken,
  'ota.openLiveView': openLiveView,
  'ota.runDemo': runDemo,
  'ota.stopDemo': stopDemo,
  'ota.copyDemoSetup': copyDemoSetup,
  'ota.signImage': signImage,
  'ota.verifyImage': verifyImage,
  'ota.createRelease': createRelease,
  'ota.pushRelease': pushRelease,
  'ota.generateKey': generateKey,
  'ota.runStressTest': runStressTest,
  'ota.rollBack': rollBack,
  'ota.showReport': showReport,
  // Internal (tree clicks), not in the command palette.
  'ota.revealInConfig': revealInConfig,
  'ota.moveSecretToStorage': moveSecretToStorage,
};

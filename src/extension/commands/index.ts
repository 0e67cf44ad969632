import type { ExtensionServices } from '../context';
import { verifyImage } from './verifyImage';
import { bindFirmwareKey } from './bindFirmwareKey';
import { copyServerUrl } from './copyServerUrl';
import { exportCa } from './exportCa';
import { openSerialMonitor } from './openSerialMonitor';
import { revealRelease } from './revealRelease';
import { buildFirmware } from './buildFirmware';
import { bumpVersion } from './bumpVersion';
import { checkSources } from './checkSources';
import { deployRelease } from './deployRelease';
import { imageInfo } from './imageInfo';
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
import { createRollout } from './rollouts/createRollout';
import { pauseRollout, resumeRollout, startRollout } from './rollouts/rolloutControl';
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
  'ota.buildFirmware': buildFirmware,
  'ota.bumpVersion': bumpVersion,
  'ota.deployRelease': deployRelease,
  'ota.checkSources': checkSources,
  'ota.imageInfo': imageInfo,
  'ota.generateKey': generateKey,
  'ota.bindFirmwareKey': bindFirmwareKey,
  'ota.openSerialMonitor': openSerialMonitor,
  'ota.copyServerUrl': copyServerUrl,
  'ota.exportCa': exportCa,
  'ota.revealRelease': revealRelease,
  'ota.createRollout': createRollout,
  'ota.startRollout': startRollout,
  'ota.pauseRollout': pauseRollout,
  'ota.resumeRollout': resumeRollout,
  'ota.runStressTest': runStressTest,
  'ota.rollBack': rollBack,
  'ota.showReport': showReport,
  // Internal (tree clicks), not in the command palette.
  'ota.revealInConfig': revealInConfig,
  'ota.moveSecretToStorage': moveSecretToStorage,
};

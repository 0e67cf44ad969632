import * as vscode from 'vscode';
import { describeError } from '../core/errors';
import type { Logger } from '../core/logger';
import type { ConfigPresence } from './configContext';

/** `contributes.walkthroughs` in package.json: the walkthrough and its first step. */
const walkthroughId = 'ota.gettingStarted';
const initializeStepId = 'ota.initialize';
// VS Code registers an extension's walkthroughs a moment after its walkthrough service starts.
const registrationRetries = 10;
const registrationRetryMs = 1000;

/**
 * Ticks the walkthrough's first step ("Describe your product") whenever a config appears, including
 * the one the workspace already had when the extension started.
 *
 * The step's `onContext:ota.hasConfig` alone cannot do that. VS Code creates its walkthrough service
 * lazily (the first time the Welcome page or "Open Walkthrough…" needs it), and when it registers a
 * step whose `onContext` expression already holds, it records that event as seen for the session
 * without completing the step; only a change to true seen afterwards completes it. A folder opened
 * with its config, the usual case, sets the key at activation, before the walkthrough is ever opened,
 * and the step would stay unticked. So the step is completed through the walkthrough's own "Mark Step
 * Complete" command (`welcome.markStepComplete`, what the step's checkbox runs), which stores the
 * progress in the profile whether or not the walkthrough page is open.
 */
export function tickInitializeStepOnConfig(presence: ConfigPresence, extensionId: string, log: Logger): vscode.Disposable {
  const stepId = `${extensionId}#${walkthroughId}#${initializeStepId}`;
  return presence.onDidChange((present) => {
    if (present) void markStepComplete(stepId, log);
  });
}

async function markStepComplete(stepId: string, log: Logger): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await vscode.commands.executeCommand('welcome.markStepComplete', stepId);
      return;
    } catch (err) {
      // The service that the command just started has not registered our walkthrough yet.
      const notYet = /does not exist/i.test(describeError(err));
      if (!notYet || attempt >= registrationRetries) {
        log.warn(`could not tick the walkthrough step ${stepId}: ${describeError(err)}`);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, registrationRetryMs));
    }
  }
}

import * as vscode from 'vscode';
import { StepFlow } from '../steps';

/** An item of a step's list, carrying the value the step returns. */
export interface StepItem<T> extends vscode.QuickPickItem {
  value: T;
}

/**
 * Titled, numbered questions ("Create Rollout (3/6)") that answer with the item's value: the
 * rollout commands' view of `StepFlow`. Undefined when the user pressed Escape (the command stops).
 */
export class QuickSteps {
  private readonly flow: StepFlow;

  constructor(title: string, totalSteps: number) {
    this.flow = new StepFlow(title, totalSteps);
  }

  async pick<T>(items: StepItem<T>[], placeholder: string): Promise<T | undefined> {
    return (await this.flow.pick(items, placeholder))?.value;
  }

  /**
   * `check` returns what is wrong with a value, or undefined when it is fine. `sameStep`: a
   * follow-up of the previous question ("Another number…"), shown under its number.
   */
  input(prompt: string, value: string, check: (text: string) => string | undefined, sameStep = false): Promise<string | undefined> {
    if (sameStep) this.flow.followUp();
    return this.flow.input({ prompt, value, validate: check });
  }
}

/** A whole number in [min, max], or what is wrong with the text. */
export function wholeNumberIn(text: string, min: number, max: number): string | undefined {
  const n = Number(text.trim());
  return text.trim() !== '' && Number.isInteger(n) && n >= min && n <= max ? undefined : vscode.l10n.t('Enter a whole number from {0} to {1}.', min, max);
}

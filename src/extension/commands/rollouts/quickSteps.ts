import * as vscode from 'vscode';

/** An item of a step's list, carrying the value the step returns. */
export interface StepItem<T> extends vscode.QuickPickItem {
  value: T;
}

/**
 * Titled, numbered questions ("Create Rollout (3/6)"): one quick pick or input box at a time,
 * each resolving to the answer, or undefined when the user pressed Escape (the command stops).
 * The first item of a list and the given value of an input are the defaults Enter takes.
 */
export class QuickSteps {
  private step = 0;

  constructor(
    private readonly title: string,
    private readonly totalSteps: number,
  ) {}

  pick<T>(items: StepItem<T>[], placeholder: string): Promise<T | undefined> {
    const step = ++this.step;
    return new Promise((resolve) => {
      const pick = vscode.window.createQuickPick<StepItem<T>>();
      Object.assign(pick, { title: this.title, step, totalSteps: this.totalSteps, placeholder, items, ignoreFocusOut: true });
      let answer: T | undefined;
      pick.onDidAccept(() => {
        answer = pick.selectedItems[0]?.value ?? pick.activeItems[0]?.value;
        if (answer !== undefined) pick.hide();
      });
      pick.onDidHide(() => {
        pick.dispose();
        resolve(answer);
      });
      pick.show();
    });
  }

  /**
   * `check` returns what is wrong with a value, or undefined when it is fine. `sameStep`: a
   * follow-up of the previous question ("Another number…"), shown under its number.
   */
  input(prompt: string, value: string, check: (text: string) => string | undefined, sameStep = false): Promise<string | undefined> {
    const step = sameStep ? this.step : ++this.step;
    return new Promise((resolve) => {
      const box = vscode.window.createInputBox();
      Object.assign(box, { title: this.title, step, totalSteps: this.totalSteps, prompt, value, ignoreFocusOut: true });
      let answer: string | undefined;
      box.onDidChangeValue((text) => (box.validationMessage = check(text)));
      box.onDidAccept(() => {
        const problem = check(box.value);
        box.validationMessage = problem;
        if (problem) return;
        answer = box.value;
        box.hide();
      });
      box.onDidHide(() => {
        box.dispose();
        resolve(answer);
      });
      box.show();
    });
  }
}

/** A whole number in [min, max], or what is wrong with the text. */
export function wholeNumberIn(text: string, min: number, max: number): string | undefined {
  const n = Number(text.trim());
  return text.trim() !== '' && Number.isInteger(n) && n >= min && n <= max ? undefined : vscode.l10n.t('Enter a whole number from {0} to {1}.', min, max);
}

import * as vscode from 'vscode';

/**
 * A titled, numbered sequence of prompts ("Deploy Release (2/4)"). Steps a target or a single
 * choice answers are not asked and not counted; `total` is raised or lowered as the flow learns
 * how many questions are left, so the number shown is always "this one of what remains".
 */
export class StepFlow {
  private step = 0;

  constructor(
    readonly title: string,
    public total: number,
  ) {}

  /** Counts the next prompt; the total never falls below the step being shown. */
  private next(): { step: number; totalSteps: number } {
    this.step += 1;
    this.total = Math.max(this.total, this.step);
    return { step: this.step, totalSteps: this.total };
  }

  /** The next prompt follows up the last one ("Another number…") and is shown under its number. */
  followUp(): void {
    this.step = Math.max(0, this.step - 1);
  }

  /** Drops a planned step that turned out not to need asking. */
  skip(): void {
    this.total = Math.max(this.step, this.total - 1);
  }

  /** One choice from a list; undefined when the user pressed Escape. */
  pick<T extends vscode.QuickPickItem>(items: readonly T[], placeholder: string): Promise<T | undefined> {
    const quickPick = vscode.window.createQuickPick<T>();
    Object.assign(quickPick, this.next());
    quickPick.title = this.title;
    quickPick.placeholder = placeholder;
    quickPick.items = items;
    quickPick.ignoreFocusOut = true;
    quickPick.matchOnDescription = true;
    quickPick.matchOnDetail = true;
    return new Promise((resolve) => {
      let chosen: T | undefined;
      quickPick.onDidAccept(() => {
        chosen = quickPick.selectedItems[0];
        if (chosen) quickPick.hide();
      });
      quickPick.onDidHide(() => {
        quickPick.dispose();
        resolve(chosen);
      });
      quickPick.show();
    });
  }

  /** Several choices (check boxes); undefined when the user pressed Escape. */
  pickMany<T extends vscode.QuickPickItem>(items: readonly T[], placeholder: string): Promise<readonly T[] | undefined> {
    const quickPick = vscode.window.createQuickPick<T>();
    Object.assign(quickPick, this.next());
    quickPick.title = this.title;
    quickPick.placeholder = placeholder;
    quickPick.canSelectMany = true;
    quickPick.items = items;
    quickPick.selectedItems = items.filter((i) => i.picked);
    quickPick.ignoreFocusOut = true;
    return new Promise((resolve) => {
      let chosen: readonly T[] | undefined;
      quickPick.onDidAccept(() => {
        if (quickPick.selectedItems.length === 0) return;
        chosen = quickPick.selectedItems;
        quickPick.hide();
      });
      quickPick.onDidHide(() => {
        quickPick.dispose();
        resolve(chosen);
      });
      quickPick.show();
    });
  }

  /** A line of text, checked as it is typed; undefined when the user pressed Escape. */
  input(options: { prompt: string; value?: string; placeholder?: string; validate?: (text: string) => string | undefined }): Promise<string | undefined> {
    const box = vscode.window.createInputBox();
    Object.assign(box, this.next());
    box.title = this.title;
    box.prompt = options.prompt;
    box.ignoreFocusOut = true;
    if (options.value !== undefined) {
      box.value = options.value;
      box.valueSelection = [0, options.value.length];
    }
    if (options.placeholder) box.placeholder = options.placeholder;
    const check = (text: string) => (box.validationMessage = options.validate?.(text));
    check(box.value);
    return new Promise((resolve) => {
      let accepted: string | undefined;
      box.onDidChangeValue(check);
      box.onDidAccept(() => {
        if (options.validate?.(box.value)) return;
        accepted = box.value;
        box.hide();
      });
      box.onDidHide(() => {
        box.dispose();
        resolve(accepted);
      });
      box.show();
    });
  }
}

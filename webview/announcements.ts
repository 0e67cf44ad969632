import * as l10n from '@vscode/l10n';

/**
 * What the polite live region says next. A fleet changes state many times a second; a screen
 * reader that spoke each change would never catch up. Changes wait here, the newest per subject
 * (a device, the connection) replacing the older, and are spoken together at most once per gap.
 */
export class Announcements {
  private readonly pending = new Map<string, string>();
  private lastSpoken = Number.NEGATIVE_INFINITY;

  constructor(
    /** Least time between two announcements, ms. */
    private readonly minGapMs: number,
    /** Changes named one by one in an announcement; the rest are counted. */
    private readonly maxNamed: number,
  ) {}

  /** A change of `subject` (its previous pending change is dropped: only the newest matters). */
  add(subject: string, message: string): void {
    this.pending.delete(subject);
    this.pending.set(subject, message);
  }

  /** When the pending changes may be spoken (same clock as `take`), or undefined when none wait. */
  dueAt(): number | undefined {
    return this.pending.size ? this.lastSpoken + this.minGapMs : undefined;
  }

  /** The text to speak at `now`, or undefined when nothing waits or the gap has not passed. */
  take(now: number): string | undefined {
    const due = this.dueAt();
    if (due === undefined || now < due) return undefined;
    const messages = [...this.pending.values()];
    this.pending.clear();
    this.lastSpoken = now;
    if (messages.length <= this.maxNamed) return messages.join('. ');
    const named = messages.slice(-(this.maxNamed - 1));
    return [...named, l10n.t('{0} more changes', messages.length - named.length)].join('. ');
  }
}

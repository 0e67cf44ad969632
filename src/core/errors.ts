/**
 * An error a user can act on: what failed, where, and what to do. Commands and the CLI show
 * `message` (plus `hint`) and never a stack trace for these.
 */
export class OtaError extends Error {
  constructor(
    message: string,
    readonly options: { where?: string; hint?: string; code?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OtaError';
  }

  get hint(): string | undefined {
    return this.options.hint;
  }

  get where(): string | undefined {
    return this.options.where;
  }

  get code(): string | undefined {
    return this.options.code;
  }

  /** One or two lines for a person: "where: message" then the hint. */
  describe(): string {
    const head = this.where ? `${this.where}: ${this.message}` : this.message;
    return this.hint ? `${head}\n${this.hint}` : head;
  }
}

export function describeError(err: unknown): string {
  if (err instanceof OtaError) return err.describe();
  if (err instanceof Error) return err.message;
  return String(err);
}

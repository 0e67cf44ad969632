/** The core logs through this, so the extension can hand it an output channel and the CLI stderr. */
export interface Logger {
  trace(message: string, ...args: unknown[]): void;
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string | Error, ...args: unknown[]): void;
}

/** Progress of a long operation: `done` of `total` units (bytes unless the caller says otherwise). */
export type ProgressCallback = (report: { message?: string; done?: number; total?: number }) => void;

export const silentLogger: Logger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

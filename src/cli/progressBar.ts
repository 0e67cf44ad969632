import type { ProgressCallback } from '../core/logger';

/**
 * A one-line progress bar on stderr for long operations, only when stderr is a terminal (CI logs
 * and pipes get no carriage-return noise). `done()` clears the line.
 */
export function terminalProgress(stream: NodeJS.WritableStream, label: string): { onProgress?: ProgressCallback; done: () => void } {
  if (!(stream as NodeJS.WriteStream).isTTY) return { done: () => undefined };
  let last = -1;
  const onProgress: ProgressCallback = ({ done, total }) => {
    if (done === undefined || !total) return;
    const percent = Math.floor((done / total) * 100);
    if (percent === last) return;
    last = percent;
    const width = 30;
    const filled = Math.round((percent / 100) * width);
    stream.write(`\r${label} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${percent}%`);
  };
  return { onProgress, done: () => last >= 0 && void stream.write('\r\x1b[K') };
}

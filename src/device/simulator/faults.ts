import { OtaError } from '../../core/errors';

/** A byte position in the download: absolute, or a fraction of the image size. */
export type ByteMark = { bytes: number } | { fraction: number };

/** Misbehaviour a simulated device shows on demand; each maps to a real field failure. */
export type Fault =
  /** The network disappears for `seconds` once the download reaches `at` (Wi-Fi lost, a tunnel). */
  | { kind: 'drop'; seconds: number; at: ByteMark }
  /** Downloads no faster than this; the seed's minimum is 20 kbps = 2500 bytes/s. */
  | { kind: 'bandwidth'; bytesPerSecond: number }
  /** Power cut: at a byte of the download, or while installing (writing the slot / switching). */
  | { kind: 'power-loss'; at: ByteMark | 'install' }
  /** One byte arrives flipped (a bad link without TLS), so the image hash must catch it. */
  | { kind: 'flip'; at: ByteMark }
  /** The device reports another firmware key / channel than the one it was given. */
  | { kind: 'wrong-key' }
  | { kind: 'wrong-channel' }
  /** The new image's self-test takes `ms`, or fails (then the device rolls back). */
  | { kind: 'self-test'; fail: boolean; ms?: number };

export const faultSyntax = [
  'drop:SECONDSs@MARK        network gone for SECONDS when the download reaches MARK (bytes or N%)',
  'bandwidth:RATE            cap downloads: 2500 (bytes/s) or 20kbps',
  'power-loss@MARK|install   power cut at a download byte, or during install',
  'flip@MARK                 flip one byte in transit',
  'wrong-key | wrong-channel report a different firmware key / channel',
  'self-test:fail | self-test:slow=SECONDSs',
];

/** Parses one `--fault` value; a mistake names the accepted forms. */
export function parseFault(text: string): Fault {
  const t = text.trim();
  let m: RegExpExecArray | null;
  if ((m = /^drop:([\d.]+)s?@(.+)$/.exec(t))) return { kind: 'drop', seconds: positive(m[1]!, t), at: parseMark(m[2]!, t) };
  if ((m = /^bandwidth:([\d.]+)(kbps|bps|B\/s)?$/i.exec(t))) {
    const n = positive(m[1]!, t);
    const unit = (m[2] ?? 'B/s').toLowerCase();
    return { kind: 'bandwidth', bytesPerSecond: unit === 'kbps' ? (n * 1000) / 8 : unit === 'bps' ? n / 8 : n };
  }
  if ((m = /^power-loss@(.+)$/.exec(t))) return { kind: 'power-loss', at: m[1] === 'install' ? 'install' : parseMark(m[1]!, t) };
  if ((m = /^flip@(.+)$/.exec(t))) return { kind: 'flip', at: parseMark(m[1]!, t) };
  if (t === 'wrong-key') return { kind: 'wrong-key' };
  if (t === 'wrong-channel') return { kind: 'wrong-channel' };
  if (t === 'self-test:fail') return { kind: 'self-test', fail: true };
  if ((m = /^self-test:slow=([\d.]+)s?$/.exec(t))) return { kind: 'self-test', fail: false, ms: positive(m[1]!, t) * 1000 };
  throw new OtaError(`unknown fault "${text}"`, { where: '--fault', hint: `use one of:\n  ${faultSyntax.join('\n  ')}`, code: 'usage' });
}

export function resolveMark(mark: ByteMark, size: number): number {
  return 'bytes' in mark ? mark.bytes : Math.floor(mark.fraction * size);
}

export function describeFault(f: Fault): string {
  const mark = (m: ByteMark) => ('bytes' in m ? `byte ${m.bytes}` : `${Math.round(m.fraction * 100)}%`);
  switch (f.kind) {
    case 'drop':
      return `network drop for ${f.seconds} s at ${mark(f.at)}`;
    case 'bandwidth':
      return `bandwidth ${f.bytesPerSecond} bytes/s (${Math.round((f.bytesPerSecond * 8) / 100) / 10} kbps)`;
    case 'power-loss':
      return f.at === 'install' ? 'power loss during install' : `power loss at ${mark(f.at)}`;
    case 'flip':
      return `flipped byte at ${mark(f.at)}`;
    case 'wrong-key':
      return 'wrong firmware key';
    case 'wrong-channel':
      return 'wrong channel';
    case 'self-test':
      return f.fail ? 'failing self-test' : `slow self-test (${f.ms} ms)`;
  }
}

function parseMark(text: string, whole: string): ByteMark {
  const pct = /^([\d.]+)%$/.exec(text);
  if (pct) {
    const fraction = Number(pct[1]) / 100;
    if (fraction >= 0 && fraction <= 1) return { fraction };
  } else if (/^\d+$/.test(text)) return { bytes: Number(text) };
  throw new OtaError(`"${text}" in fault "${whole}" is not a byte offset or a percentage`, { where: '--fault', hint: 'write e.g. 32768 or 50%', code: 'usage' });
}

function positive(text: string, whole: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new OtaError(`"${text}" in fault "${whole}" must be a positive number`, { where: '--fault', code: 'usage' });
  return n;
}

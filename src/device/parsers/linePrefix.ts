/** A log line split into the device's own timestamp prefix and the message after it. */
export interface SplitLine {
  deviceTime?: string;
  level?: string;
  tag?: string;
  message: string;
}

// ESP-IDF: "I (1234) tag: msg", or with the system clock "I (12:34:56.789) tag: msg".
const espIdf = /^([EWIDV]) \(([\d:.]+)\) ([^:\s][^:]{0,40}?): ?(.*)$/;
// Zephyr logging: "[00:00:05.123,456] <inf> hawkbit: msg".
const zephyr = /^\[(\d{2}:\d{2}:\d{2}\.\d{3},\d{3})\] <(\w{3})> ([\w.]{1,40}): ?(.*)$/;
// MCUboot on Zephyr without timestamps: "I: msg"; on other ports "[INF] msg" or "[MCUBOOT] [INF] fn: msg".
const letterColon = /^([EWID]): (.*)$/;
const bracketLevel = /^(?:\[\w+\] )?\[(ERR|WRN|INF|DBG)\] (?:(\w{1,40}): )?(.*)$/;

export function splitLine(plain: string): SplitLine {
  let m = espIdf.exec(plain);
  if (m) return { level: m[1]!, deviceTime: m[2]!, tag: m[3]!, message: m[4]! };
  m = zephyr.exec(plain);
  if (m) return { deviceTime: m[1]!, level: m[2]!, tag: m[3]!, message: m[4]! };
  m = letterColon.exec(plain);
  if (m) return { level: m[1]!, message: m[2]! };
  m = bracketLevel.exec(plain);
  if (m) return m[2] ? { level: m[1]!, tag: m[2], message: m[3]! } : { level: m[1]!, message: m[3]! };
  return { message: plain };
}

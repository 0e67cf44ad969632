import type { ReceivedLine } from '../serial/lineAssembler';
import { plainText } from './ansi';
import { deviceOtaStates } from './deviceEvent';
import type { DeviceEvent, DeviceOtaState } from './deviceEvent';
import { splitLine } from './linePrefix';
import type { LogRule, RuleSet } from './logRule';
import { arduinoRules } from './rules/arduino';
import { espIdfRules } from './rules/espIdf';
import { mcubootRules } from './rules/mcuboot';
import { simulatorRules } from './rules/simulator';
import { zephyrRules } from './rules/zephyr';

export type RuleSetName = 'esp-idf' | 'mcuboot' | 'zephyr' | 'arduino' | 'simulator';

export const builtInRuleSets: Readonly<Record<RuleSetName, RuleSet>> = {
  'esp-idf': espIdfRules,
  mcuboot: mcubootRules,
  zephyr: zephyrRules,
  arduino: arduinoRules,
  simulator: simulatorRules,
};

/**
 * The rule sets for a device's `logParser` setting in the workspace config: Zephyr boards boot
 * through MCUboot, so their log is read with both; "plain" means the user's rules only.
 */
export function ruleSetsFor(logParser: string): RuleSetName[] {
  switch (logParser) {
    case 'esp-idf':
      return ['esp-idf'];
    case 'zephyr':
    case 'mcuboot':
      return ['mcuboot', 'zephyr'];
    case 'arduino':
      return ['arduino', 'esp-idf'];
    case 'simulator':
      return ['simulator', 'esp-idf', 'mcuboot'];
    case 'plain':
      return [];
    default:
      return ['simulator', 'esp-idf', 'mcuboot', 'zephyr', 'arduino'];
  }
}

/**
 * Patterns see at most this much of a line: a device spewing a megabyte without a newline costs
 * one bounded scan, not a regex over the whole thing.
 */
const maxMatchChars = 4096;
/** Events keep this much of the original line for display. */
const maxLineChars = 2048;

export interface LogParserOptions {
  device: string;
  /** Built-in sets to use, in order; all of them when absent (an unknown board). */
  ruleSets?: readonly RuleSetName[];
  /** User rules run first, against the whole plain line (they match what the user sees). */
  userRules?: readonly LogRule[];
}

/** Reads one device's lines into normalized events. Never throws on what a device sends. */
export class LogParser {
  private readonly sets: RuleSet[];
  private readonly userRules: readonly LogRule[];

  constructor(private readonly options: LogParserOptions) {
    const names = options.ruleSets ?? (['simulator', 'esp-idf', 'mcuboot', 'zephyr', 'arduino'] as const);
    this.sets = names.map((n) => builtInRuleSets[n]);
    this.userRules = options.userRules ?? [];
  }

  parse(received: ReceivedLine): DeviceEvent | undefined {
    try {
      return this.parseUnsafe(received);
    } catch {
      // A pattern failing on some odd input (a user rule, a stack overflow) must not stop the console.
      return undefined;
    }
  }

  private parseUnsafe(received: ReceivedLine): DeviceEvent | undefined {
    const raw = received.text.length > maxMatchChars * 4 ? received.text.slice(0, maxMatchChars * 4) : received.text;
    const plain = plainText(raw).slice(0, maxMatchChars);
    if (plain.trim().length === 0) return undefined;
    const split = splitLine(plain);
    for (const rule of this.userRules) {
      const event = this.apply(rule, 'user', plain, received, split.deviceTime);
      if (event) return event;
    }
    const body = split.tag ? `${split.tag}: ${split.message}` : split.message;
    for (const set of this.sets) {
      for (const rule of set.rules) {
        const event = this.apply(rule, set.name, body, received, split.deviceTime);
        if (event) return event;
      }
    }
    return undefined;
  }

  private apply(rule: LogRule, setName: string, text: string, received: ReceivedLine, deviceTime?: string): DeviceEvent | undefined {
    rule.pattern.lastIndex = 0;
    const m = rule.pattern.exec(text);
    if (!m) return undefined;
    const groups: Record<string, string> = {};
    for (const [name, value] of Object.entries(m.groups ?? {})) if (value !== undefined) groups[name] = value;
    const decided = rule.decide?.(groups);
    const event: DeviceEvent = {
      device: this.options.device,
      time: received.time,
      kind: decided?.kind ?? rule.kind,
      source: `${setName}/${rule.id}`,
      line: received.text.length > maxLineChars ? `${received.text.slice(0, maxLineChars)}…` : received.text,
    };
    const time = deviceTime ?? groups['deviceTime'];
    if (time !== undefined) event.deviceTime = time;
    const state = decided?.state ?? asState(groups['state']) ?? rule.state;
    if (state) event.state = state;
    const progress = percent(groups);
    if (progress !== undefined) event.progress = progress;
    if (groups['version']) event.version = groups['version'].trim();
    if (groups['fwKey']) event.fwKey = groups['fwKey'];
    if (groups['channel']) event.channel = groups['channel'];
    const fields: Record<string, string> = {};
    for (const [name, value] of Object.entries(groups)) {
      if (!['version', 'fwKey', 'channel', 'state', 'progress', 'deviceTime'].includes(name)) fields[name] = value;
    }
    if (Object.keys(fields).length > 0) event.fields = fields;
    return event;
  }
}

function asState(value: string | undefined): DeviceOtaState | undefined {
  return value !== undefined && (deviceOtaStates as readonly string[]).includes(value) ? (value as DeviceOtaState) : undefined;
}

function percent(groups: Record<string, string>): number | undefined {
  if (groups['progress'] !== undefined) {
    const p = Number(groups['progress']);
    return Number.isFinite(p) ? Math.max(0, Math.min(100, p)) : undefined;
  }
  const done = Number(groups['done']);
  const total = Number(groups['total']);
  if (groups['done'] === undefined || groups['total'] === undefined || !Number.isFinite(done) || !(total > 0)) return undefined;
  return Math.max(0, Math.min(100, Math.floor((done * 100) / total)));
}

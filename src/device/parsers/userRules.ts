import type { LogRuleSpec } from '../../core/config/model';
import { OtaError } from '../../core/errors';
import { deviceEventKinds, deviceOtaStates } from './deviceEvent';
import type { DeviceEventKind, DeviceOtaState } from './deviceEvent';
import type { LogRule } from './logRule';

/** A rule as a user writes it in the workspace config (`devices[].logRules`): a regex with named groups. */
export type UserLogRule = LogRuleSpec;

/** Turns config rules into matchers; a broken rule is reported with its index and name, not skipped. */
export function compileUserRules(rules: readonly UserLogRule[], where = 'log rules'): LogRule[] {
  return rules.map((rule, index) => {
    const at = `${where}[${index}] (${rule.name || 'unnamed'})`;
    if (rule.flags !== undefined && !/^i?$/.test(rule.flags)) {
      throw new OtaError(`flags "${rule.flags}" are not supported`, { where: at, hint: 'use "i" or leave flags out' });
    }
    if (rule.kind !== undefined && !deviceEventKinds.includes(rule.kind as DeviceEventKind)) {
      throw new OtaError(`unknown kind "${rule.kind}"`, { where: at, hint: `use one of: ${deviceEventKinds.join(', ')}` });
    }
    if (rule.state !== undefined && !deviceOtaStates.includes(rule.state as DeviceOtaState)) {
      throw new OtaError(`unknown state "${rule.state}"`, { where: at, hint: `use one of: ${deviceOtaStates.join(', ')}` });
    }
    let pattern: RegExp;
    try {
      pattern = new RegExp(rule.pattern, rule.flags ?? '');
    } catch (err) {
      throw new OtaError(`the pattern is not a valid regular expression: ${(err as Error).message}`, {
        where: at,
        hint: 'named groups look like (?<version>\\S+); escape backslashes in JSON',
      });
    }
    return {
      id: `user:${rule.name || index}`,
      pattern,
      kind: (rule.kind as DeviceEventKind | undefined) ?? 'custom',
      ...(rule.state ? { state: rule.state as DeviceOtaState } : {}),
    };
  });
}

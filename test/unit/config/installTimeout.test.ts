import * as assert from 'node:assert/strict';
import { formatDiagnostic } from '../../../src/core/config/diagnostic';
import { check, minimal } from './helpers';

describe('config timeouts.installSeconds', () => {
  it('is optional (the server default applies) and read when given', () => {
    assert.equal(check(JSON.stringify(minimal())).config!.timeouts.installSeconds, undefined);
    const config = minimal();
    config.timeouts = { installSeconds: 120 };
    const result = check(JSON.stringify(config));
    assert.deepEqual(result.diagnostics.map(formatDiagnostic), []);
    assert.equal(result.config!.timeouts.installSeconds, 120);
  });

  it('rejects an install window under a second', () => {
    const config = minimal();
    config.timeouts = { installSeconds: 0 };
    assert.ok(check(JSON.stringify(config)).diagnostics.some((d) => /installSeconds/.test(formatDiagnostic(d))));
  });
});

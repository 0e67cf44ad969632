import * as assert from 'node:assert/strict';
import type { ServerEvent, UpdateSession } from '../../../src/core/protocol/management';
import { judgeVersion } from '../../../src/server/versionOutcome';
import { describeEvent } from '../../../webview/eventText';

describe('live view event log: a finished update that runs another version than its label', () => {
  const labels = { releaseLabel: () => '1.0.2' };
  const event = (session: Partial<UpdateSession>): ServerEvent => ({ id: 1, at: '2026-01-01T00:00:00.000Z', type: 'session.updated', data: { deviceId: 'd1', releaseId: '7', state: 'succeeded', ...session } });

  it('a rollback release is a warning that says what runs', () => {
    const line = describeEvent(event({ version: judgeVersion('1.0.2', '1.0.0', '1.0.0', '1.0.1') }), labels);
    assert.equal(line.tone, 'warn');
    assert.equal(line.text, 'd1: update to 1.0.2 succeeded: device runs 1.0.0 after release 1.0.2: the image carries 1.0.0 inside (a rollback release: it ran 1.0.1 before); dashboards that compare labels show this as a failed update');
  });

  it('a device running the label, or a session from a server without version outcomes, stays good', () => {
    assert.deepEqual(describeEvent(event({ version: judgeVersion('1.0.2', '1.0.2', '1.0.2', '1.0.1') }), labels), { text: 'd1: update to 1.0.2 succeeded', tone: 'good' });
    assert.deepEqual(describeEvent(event({}), labels), { text: 'd1: update to 1.0.2 succeeded', tone: 'good' });
  });
});

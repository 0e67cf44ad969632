import * as assert from 'node:assert/strict';
import type { Deployment, UpdateSession } from '../../../src/core/protocol/management';
import { activeDeploymentProgress } from '../../../src/extension/server/deploymentProgress';

const deployment = (id: string, devices: Deployment['devices'], state: Deployment['state'] = 'active'): Deployment => ({ id, releaseId: 'r', pid: 'P', fwKey: 'K', channel: 'main', devices, type: 'soft', state, createdAt: 't' });
const session = (id: string, deploymentId: string, deviceId: string, state: UpdateSession['state']): UpdateSession => ({
  id, deploymentId, releaseId: 'r', deviceId, state, size: 1, bytesServed: 0, progress: 0, startedAt: 't', lastActivity: 't', slow: false, details: [],
});

describe('status bar deployment progress', () => {
  it('counts the newest active deployment in devices: a retried device counts once, by its newest session', () => {
    const p = activeDeploymentProgress(
      [deployment('1', 'all'), deployment('2', 'all'), deployment('3', 'all', 'cancelled')],
      [session('1', '2', 'a', 'failed'), session('2', '2', 'a', 'succeeded'), session('3', '2', 'b', 'downloading'), session('4', '1', 'c', 'succeeded')],
    );
    assert.equal(p?.deployment.id, '2');
    assert.deepEqual([p?.updated, p?.devices, p?.updating, p?.failed], [1, 2, 1, 0]);
  });

  it('counts the devices a deployment names even before they poll, and says nothing without an active one', () => {
    const p = activeDeploymentProgress([deployment('5', ['a', 'b', 'c'])], [session('1', '5', 'a', 'succeeded')]);
    assert.deepEqual([p?.updated, p?.devices], [1, 3]);
    assert.equal(activeDeploymentProgress([deployment('5', 'all', 'cancelled')], []), undefined);
  });
});

import * as assert from 'node:assert/strict';
import type { Deployment, Device, UpdateSession } from '../../../src/core/protocol/management';
import { decideOffer, targets } from '../../../src/server/policy';

const deployment: Deployment = { id: '7', releaseId: '1', pid: 'P', fwKey: 'K2', channel: 'main', devices: 'all', type: 'soft', state: 'active', createdAt: '' };
const device = (attributes: Record<string, string>): Device => ({ id: 'd1', protocol: 'ddi', attributes, firstSeen: '', lastSeen: '', whyNot: [] });
const reason = (d: ReturnType<typeof decideOffer>) => (d.offer ? '' : d.reason);

describe('offer policy (the seed: key bound to the PID, channel equal)', () => {
  it('offers when the reported key is bound to the PID and the channel matches', () => {
    assert.deepEqual(decideOffer(device({ fw_key: 'K2', channel: 'main' }), deployment, new Set(), undefined), { offer: true });
    assert.deepEqual(decideOffer(device({ fw_key: 'K1', channel: 'main', pid: 'P' }), deployment, new Set(['K1']), undefined), { offer: true });
  });

  it('says what the device reports, what the deployment needs and what to do', () => {
    assert.equal(
      reason(decideOffer(device({ fw_key: 'K1', channel: 'main' }), deployment, new Set(['K3']), undefined)),
      'device d1 reports fw_key K1, channel main; deployment 7 needs a key bound to PID P (bound: K3, K2). If devices flashed with K1 are already in the field, bind K1 to PID P.',
    );
    assert.match(reason(decideOffer(device({ channel: 'main' }), deployment, new Set(), undefined)), /^device d1 has not reported fw_key; deployment 7 needs a key bound to PID P \(bound: K2\)\. Make the device send fw_key/);
    assert.match(reason(decideOffer(device({ fw_key: 'K2', channel: 'ble' }), deployment, new Set(), undefined)), /^device d1 reports fw_key K2, channel ble; deployment 7 is for channel main\./);
    assert.match(reason(decideOffer(device({ fw_key: 'K2' }), deployment, new Set(), undefined)), /channel \(none\); deployment 7 is for channel main/);
    assert.match(reason(decideOffer(device({ fw_key: 'K2', channel: 'main', pid: 'Q' }), deployment, new Set(), undefined)), /pid Q; deployment 7 is for PID P\. Deploy to PID Q/);
  });

  it('checks PID, then channel, then key: a device of another product is not told to bind its key here', () => {
    // Another product's device with another key and module: the PID is what is wrong.
    assert.match(reason(decideOffer(device({ fw_key: 'OTHER', channel: 'ble', pid: 'Q' }), deployment, new Set(), undefined)), /pid Q; deployment 7 is for PID P\. Deploy to PID Q/);
    // Same product, other module, unknown key: the channel comes first.
    assert.match(reason(decideOffer(device({ fw_key: 'OTHER', channel: 'ble', pid: 'P' }), deployment, new Set(), undefined)), /deployment 7 is for channel main\./);
    assert.match(reason(decideOffer(device({ channel: 'ble' }), deployment, new Set(), undefined)), /deployment 7 is for channel main\./);
    // Nothing reported: both are asked for at once.
    assert.match(reason(decideOffer(device({ VIN: 'x' }), deployment, new Set(), undefined)), /^device d1 has not reported fw_key or channel; deployment 7 needs channel main and a key bound to PID P \(bound: K2\)/);
  });

  it('does not offer again after a failed session, and says how to retry', () => {
    const failed = { id: '9', state: 'failed', failureReason: 'device d1 was silent for 61 s' } as UpdateSession;
    assert.match(reason(decideOffer(device({ fw_key: 'K2', channel: 'main' }), deployment, new Set(), failed)), /session 9 for device d1 failed \(device d1 was silent for 61 s\); create a new deployment/);
  });

  it('targets listed devices or all, and only while active', () => {
    assert.ok(targets(deployment, 'anyone'));
    assert.ok(targets({ ...deployment, devices: ['d1'] }, 'd1'));
    assert.ok(!targets({ ...deployment, devices: ['d1'] }, 'd2'));
    assert.ok(!targets({ ...deployment, state: 'cancelled' }, 'd1'));
  });
});

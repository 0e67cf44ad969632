import * as assert from 'node:assert/strict';
import { isLoopback } from '../../../src/core/net/loopback';

describe('isLoopback', () => {
  it('takes localhost, 127.0.0.0/8 and ::1 as this machine, anything else as the network', () => {
    for (const host of ['localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]']) assert.equal(isLoopback(host), true, host);
    for (const host of ['0.0.0.0', '::', '192.168.1.10', '10.127.0.1', 'example.local', '']) assert.equal(isLoopback(host), false, host);
  });
});

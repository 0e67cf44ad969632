import * as assert from 'node:assert/strict';
import { check, minimal } from './helpers';

describe('ota.local.json over ota.json', () => {
  const shared = JSON.stringify(minimal(), null, 2);

  it('merges entries by identity: a device by name, a server by name', () => {
    const result = check(shared, '{ "devices": [{ "name": "bench-esp32", "serial": { "baud": 921600 } }], "servers": [{ "name": "local", "port": 9001 }] }');
    assert.deepEqual(result.diagnostics, []);
    assert.deepEqual(result.config!.devices, [{ name: 'bench-esp32', deviceId: 'dev-1', serial: { path: '/dev/ttyUSB0', baud: 921600 }, logParser: 'plain' }]);
    assert.deepEqual(result.config!.servers, [{ type: 'local', name: 'local', host: '127.0.0.1', port: 9001 }]);
  });

  it('adds entries that the shared file does not have', () => {
    const result = check(shared, '{ "devices": [{ "name": "my-board", "deviceId": "dev-9", "serial": { "path": "COM4" } }], "defaultDevice": "my-board" }');
    assert.deepEqual(result.diagnostics, []);
    assert.deepEqual(result.config!.devices.map((d) => d.name), ['bench-esp32', 'my-board']);
    assert.equal(result.config!.defaultDevice, 'my-board');
  });

  it('replaces plain values and arrays without identity', () => {
    const result = check(shared, '{ "products": [{ "pid": "p1", "firmwareKeys": ["k1"] }], "timeouts": { "offlineSeconds": 120 } }');
    assert.deepEqual(result.config!.products, [{ pid: 'p1', name: 'Plug', firmwareKeys: ['k1'] }]);
    assert.equal(result.config!.timeouts.offlineSeconds, 120);
  });

  it('points errors in overriding values into the local file', () => {
    const local = '{\n  "servers": [{ "name": "local", "port": "nine" }]\n}';
    const [d] = check(shared, local).diagnostics;
    assert.equal(d?.file, '/ws/.vscode/ota.local.json');
    assert.deepEqual([d?.line, d?.column, d?.where], [2, local.split('\n')[1]!.indexOf('"nine"') + 1, 'servers[0].port']);
  });

  it('points errors in values that stay from the shared file into the shared file', () => {
    const local = '{ "defaultServer": "elsewhere" }';
    const [d] = check(shared, local).diagnostics;
    assert.equal(d?.file, '/ws/.vscode/ota.local.json');
    const result = check(shared.replace('"k1",', '"k2",'), '{ "devices": [] }');
    assert.equal(result.diagnostics[0]?.file, '/ws/.vscode/ota.json');
    assert.equal(result.diagnostics[0]?.code, 'key-not-bound');
  });

  it('a new entry missing required fields is reported in the local file', () => {
    const [d] = check(shared, '{ "servers": [{ "name": "extra" }] }').diagnostics;
    assert.equal(d?.file, '/ws/.vscode/ota.local.json');
    // Named by its place in ota.local.json (servers[0]), not in the merged list (servers[1]).
    assert.match(d!.message, /^servers\[0\]: missing required property "type"/);
    assert.equal(d!.where, 'servers[0]');
  });

  it('a local file that is not an object is an error in that file', () => {
    const result = check(shared, '[]');
    assert.deepEqual(result.diagnostics.map((d) => [d.file, d.code]), [['/ws/.vscode/ota.local.json', 'type']]);
    assert.equal(result.config, undefined);
  });

  it('a syntax error in the local file is reported there and stops the other checks', () => {
    const result = check(shared, '{ "devices": [ }');
    assert.ok(result.diagnostics.length > 0);
    assert.ok(result.diagnostics.every((d) => d.file === '/ws/.vscode/ota.local.json' && d.stage === 'syntax'));
  });
});

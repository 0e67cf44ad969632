import * as assert from 'node:assert/strict';
import { expandEnv, resolveSecretFromEnv, secretEnvName } from '../../../src/core/config/resolveEnv';
import { parseSecretRef } from '../../../src/core/config/secretRef';
import { OtaError } from '../../../src/core/errors';
import { check, minimal } from './helpers';

function withServer(server: Record<string, unknown>): string {
  const c = minimal();
  c.servers = [server];
  return JSON.stringify(c, null, 2);
}

describe('secrets in the config', () => {
  it('rejects a literal token, naming the field and saying how to move it', () => {
    const result = check(withServer({ type: 'ota-workbench', name: 'cloud', url: 'https://ota.example.com', token: 'sk_live_abc123' }));
    assert.equal(result.config, undefined);
    const [d] = result.diagnostics;
    assert.equal(d?.code, 'literal-secret');
    assert.equal(d?.stage, 'secret');
    assert.match(d!.message, /^servers\[0\]\.token holds a literal credential/);
    assert.match(d!.message, /\$\{secret:NAME\}/);
    assert.match(d!.message, /\$\{env:NAME\}/);
    assert.ok(!d!.message.includes('sk_live_abc123'), 'the secret itself is not repeated in the message');
  });

  it('accepts ${secret:NAME} and ${env:NAME} references', () => {
    for (const ref of ['${secret:hawkbit}', '${env:HAWKBIT_PASSWORD}']) {
      const result = check(withServer({ type: 'hawkbit', name: 'hb', url: 'https://hb', tenant: 'DEFAULT', username: 'ci', credential: ref }));
      assert.deepEqual(result.diagnostics, [], ref);
    }
  });

  it('rejects references with a bad name or extra text', () => {
    for (const bad of ['${secret:}', '${vault:x}', 'Bearer ${env:T}', '${env:T} ', '$env:T']) {
      const result = check(withServer({ type: 'hawkbit', name: 'hb', url: 'https://hb', tenant: 'D', credential: bad }));
      assert.deepEqual(result.diagnostics.map((d) => d.code), ['literal-secret'], bad);
    }
  });

  it('rejects a private key pasted into a key field', () => {
    const c = minimal();
    (c.channels as Record<string, unknown>[])[0]!.signing = { key: '-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n', format: 'mcuboot' };
    const result = check(JSON.stringify(c));
    assert.deepEqual(result.diagnostics.map((d) => d.code), ['inline-private-key']);
    assert.match(result.diagnostics[0]!.message, /^channels\[0\]\.signing\.key contains a private key/);
  });

  it('allows credential-named build variables only through references', () => {
    const c = minimal();
    const channel = (c.channels as Record<string, unknown>[])[0]!;
    channel.build = { command: 'make', env: { GITHUB_TOKEN: '${env:GITHUB_TOKEN}', AUTH_HEADER: 'Bearer ${secret:api}', BOARD: 'esp32' } };
    assert.deepEqual(check(JSON.stringify(c)).diagnostics, []);
    channel.build = { command: 'make', env: { DB_PASSWORD: 'swordfish' } };
    assert.deepEqual(check(JSON.stringify(c)).diagnostics.map((d) => d.where), ['channels[0].build.env.DB_PASSWORD']);
  });

  it('a literal secret in ota.local.json is reported in that file', () => {
    const local = '{ "servers": [{ "name": "cloud", "token": "plain" }] }';
    const result = check(withServer({ type: 'ota-workbench', name: 'cloud', url: 'https://x', token: '${secret:t}' }), local);
    assert.equal(result.diagnostics.length, 1);
    assert.equal(result.diagnostics[0]!.file, '/ws/.vscode/ota.local.json');
    assert.equal(result.diagnostics[0]!.column, local.indexOf('"plain"') + 1);
  });
});

describe('resolving references outside VS Code', () => {
  it('reads ${env:NAME} from the environment and ${secret:NAME} from OTA_SECRET_NAME', () => {
    const env = { HAWKBIT_PASSWORD: 'pw', OTA_SECRET_STAGING_TOKEN: 'tok' };
    assert.equal(resolveSecretFromEnv(parseSecretRef('${env:HAWKBIT_PASSWORD}')!, env), 'pw');
    assert.equal(secretEnvName('staging-token'), 'OTA_SECRET_STAGING_TOKEN');
    assert.equal(resolveSecretFromEnv(parseSecretRef('${secret:staging-token}')!, env), 'tok');
  });

  it('says which variable to set, without leaking anything', () => {
    assert.throws(
      () => resolveSecretFromEnv(parseSecretRef('${secret:hawkbit}')!, {}, 'servers[1].credential'),
      (err: unknown) => err instanceof OtaError && /servers\[1\]\.credential: \$\{secret:hawkbit\} is not set/.test(err.message) && /OTA_SECRET_HAWKBIT/.test(err.hint ?? ''),
    );
  });

  it('expands ${env:NAME} inside strings', () => {
    assert.equal(expandEnv('idf.py -p ${env:PORT} build ${env:PORT}', { PORT: '/dev/ttyUSB1' }), 'idf.py -p /dev/ttyUSB1 build /dev/ttyUSB1');
    assert.equal(expandEnv('no refs', {}), 'no refs');
    assert.throws(() => expandEnv('${env:MISSING}', {}), /\$\{env:MISSING\} is not set/);
  });
});

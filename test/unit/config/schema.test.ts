import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { defaultBaud, defaultLocalHost, defaultLocalPort, defaultTimeouts } from '../../../src/core/config/defaults';
import { imageFormats, logParsers, serverTypes, signingFormats, versionSources } from '../../../src/core/config/model';
import { deviceEventKinds, deviceOtaStates } from '../../../src/device/parsers/deviceEvent';
import type { OtaConfig } from '../../../src/core/config/model';
import { deriveLocalSchema } from '../../../src/core/config/localSchema';
import { deref, otaSchema } from '../../../src/core/config/schema';
import type { JsonSchema } from '../../../src/core/config/schema';
import { checkSchema } from '../../../src/core/config/schemaCheck';
import { repoPath } from '../../helpers/fixtures';
import { check, readFixture } from './helpers';

const def = (name: string): JsonSchema => deref({ $ref: `#/definitions/${name}` });
const consts = (s: JsonSchema, key: string) => s.oneOf!.map((b) => deref(b).properties![key]!.const);

/**
 * A config written against the TypeScript model, with every optional field set. If the model
 * gains a field the schema lacks (or the reverse), the round trip below fails.
 */
const sample: OtaConfig = {
  products: [{ pid: 'p1', name: 'Plug', firmwareKeys: ['k1', 'k0'] }],
  channels: [
    {
      name: 'main',
      pid: 'p1',
      firmwareKey: 'k1',
      format: 'esp-idf',
      build: { command: 'idf.py build', cwd: 'fw', env: { IDF_TARGET: 'esp32s3' } },
      artifact: 'fw/build/*.bin',
      version: { source: 'file', file: 'fw/version.txt', regex: '(\\d+\\.\\d+\\.\\d+)' },
      signing: { key: '${secret:signing}', keyRef: { kind: 'secret', name: 'signing', text: '${secret:signing}' }, format: 'mcuboot' },
    },
    { name: 'ble', pid: 'p1', firmwareKey: 'k0', format: 'raw', artifact: 'ble.bin', version: { source: 'fixed', value: '2.0.0-beta.1' } },
  ],
  servers: [
    { type: 'local', name: 'local', host: '0.0.0.0', port: 8443, tls: { cert: 'c.pem', key: 'k.pem' } },
    { type: 'ota-workbench', name: 'remote', url: 'https://ota.example.com', token: { kind: 'env', name: 'OTA_TOKEN', text: '${env:OTA_TOKEN}' } },
    { type: 'hawkbit', name: 'hb', url: 'https://hawkbit:8443', tenant: 'DEFAULT', username: 'admin', credential: { kind: 'secret', name: 'hb', text: '${secret:hb}' }, softwareModuleType: 'os', distributionSetType: 'os_app', pollIntervalSeconds: 10 },
  ],
  devices: [
    { name: 'd1', deviceId: 'id1', serial: { path: 'COM3', baud: 460800 }, logParser: 'zephyr', expect: { pid: 'p1', firmwareKey: 'k0', channel: 'ble' }, server: 'hb' },
  ],
  timeouts: { offlineSeconds: 30, minBandwidthKbps: 50, pollIntervalSeconds: 2 },
  defaultServer: 'local',
  defaultDevice: 'd1',
};

/** The model written back as a file: references as text. */
function toFile(config: OtaConfig): unknown {
  return JSON.parse(
    JSON.stringify(config, (key, value: unknown) => {
      if (key === 'keyRef') return undefined;
      if (value && typeof value === 'object' && 'kind' in value && 'text' in value) return (value as { text: string }).text;
      return value;
    }),
  );
}

function walkExamples(schema: JsonSchema, path: string, visit: (s: JsonSchema, path: string) => void): void {
  visit(schema, path);
  for (const [k, child] of Object.entries(schema.properties ?? {})) walkExamples(deref(child), `${path}.${k}`, visit);
  if (schema.items) walkExamples(deref(schema.items), `${path}[]`, visit);
  schema.oneOf?.forEach((b, i) => walkExamples(deref(b), `${path}|${i}`, visit));
  if (typeof schema.additionalProperties === 'object') walkExamples(deref(schema.additionalProperties), `${path}.*`, visit);
}

describe('schema and TypeScript model agree', () => {
  it('the enums match the model constants', () => {
    assert.deepEqual(deref(def('channel').properties!.format!).enum, imageFormats);
    assert.deepEqual(consts(def('server'), 'type'), serverTypes);
    assert.deepEqual(consts(def('versionSource'), 'source'), versionSources);
    assert.deepEqual(def('channel').properties!.signing!.properties!.format!.enum, signingFormats);
    assert.deepEqual(def('device').properties!.logParser!.enum, logParsers);
    const rule = def('device').properties!.logRules!.items as JsonSchema;
    assert.deepEqual(rule.properties!.kind!.enum, deviceEventKinds, 'logRules kinds are the device event kinds');
    assert.deepEqual(rule.properties!.state!.enum, deviceOtaStates, 'logRules states are the device OTA states');
  });

  it('the defaults the editor shows are the loader’s defaults', () => {
    const timeouts = def('timeouts');
    assert.deepEqual(timeouts.default, defaultTimeouts);
    for (const [k, v] of Object.entries(defaultTimeouts)) assert.equal(timeouts.properties![k]!.default, v, k);
    const local = deref(def('server').oneOf![0]!);
    assert.equal(local.properties!.host!.default, defaultLocalHost);
    assert.equal(local.properties!.port!.default, defaultLocalPort);
    assert.equal(def('device').properties!.serial!.properties!.baud!.default, defaultBaud);
    assert.equal(def('device').properties!.logParser!.default, 'plain');
    const loaded = check('{ "products": [], "channels": [], "servers": [{ "type": "local", "name": "l" }], "devices": [{ "name": "d", "deviceId": "i", "serial": { "path": "p" } }] }').config!;
    assert.deepEqual(loaded.timeouts, defaultTimeouts);
    assert.deepEqual([loaded.servers[0]!.type === 'local' && loaded.servers[0]!.port, loaded.devices[0]!.serial!.baud, loaded.devices[0]!.logParser], [defaultLocalPort, defaultBaud, 'plain']);
  });

  it('a config typed as OtaConfig passes the schema and loads back unchanged', () => {
    const file = toFile(sample);
    assert.deepEqual(checkSchema(file), []);
    const result = check(JSON.stringify(file, null, 2));
    assert.deepEqual(result.diagnostics, []);
    assert.deepEqual(result.config, sample);
  });

  it('the full sample fixture passes the schema', () => {
    assert.deepEqual(check(readFixture('config', 'full.jsonc')).diagnostics, []);
  });

  it('every example in the schema is valid for its own field', () => {
    let checked = 0;
    walkExamples(otaSchema, '$', (s, path) => {
      if (!s.examples || !s.type) return;
      const { examples, ...rest } = s;
      for (const example of examples) {
        const issues = checkSchema(example, rest).filter((i) => i.stage === 'schema');
        assert.deepEqual(issues, [], `${path}: ${JSON.stringify(example)}`);
        checked++;
      }
    });
    assert.ok(checked > 20, `only ${checked} examples checked`);
  });

  it('every property has a description for hovers', () => {
    const missing: string[] = [];
    walkExamples(otaSchema, '$', (s, path) => {
      for (const [k, child] of Object.entries(s.properties ?? {})) if (!deref(child).description) missing.push(`${path}.${k}`);
    });
    assert.deepEqual(missing, []);
  });
});

describe('schema for ota.local.json', () => {
  const file = repoPath('schemas', 'ota.local.schema.json');

  it('is the shared schema with nothing required (regenerate: OTA_WRITE_SCHEMAS=1 with this test)', () => {
    const derived = deriveLocalSchema(otaSchema);
    if (process.env.OTA_WRITE_SCHEMAS === '1') {
      // Writing is not checking: the run that writes fails, so it can never count as a pass.
      fs.writeFileSync(file, JSON.stringify(derived, null, 2) + '\n');
      assert.fail(`wrote ${file}: review the diff, then run this test again without OTA_WRITE_SCHEMAS to check it`);
    }
    assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')), derived, 'schemas/ota.local.schema.json is stale');
    assert.ok(!JSON.stringify(derived).includes('"required"'));
    assert.ok(!JSON.stringify(derived).includes('"oneOf"'));
  });

  it('accepts a partial override, and still rejects wrong types and unknown fields', () => {
    const local = deriveLocalSchema(otaSchema);
    assert.deepEqual(checkSchema({ devices: [{ name: 'bench', serial: { path: 'COM3' } }], servers: [{ name: 'local', port: 9000 }] }, local), []);
    assert.deepEqual(
      checkSchema({ servers: [{ name: 'local', prot: 9000, type: 'cloud' }] }, local).map((i) => i.code),
      ['unknown-property', 'enum'],
    );
  });
});

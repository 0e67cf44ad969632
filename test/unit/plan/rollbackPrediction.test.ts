import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { restampEspIdfImage } from '../../../src/core/image/espIdfRestamp';
import { inspectImage } from '../../../src/core/image/inspectImage';
import { deviceFacts } from '../../../src/core/plan/deviceFacts';
import { predictRollback, rollbackImageOf } from '../../../src/core/plan/rollbackPrediction';
import type { Device, Release, UpdateSession } from '../../../src/core/protocol/management';
import { espBlink, mcubootDir } from '../../helpers/fixtures';

const blink = readFileSync(espBlink);
const image = (bytes: Buffer, file: string, label: string) => rollbackImageOf(inspectImage(bytes, file), label);
const mcu = (name: string, label: string) => image(readFileSync(join(mcubootDir, name)), name, label);

/** Rollback prediction on the real images of the fixtures (the ESP32-S2 blink build, imgtool-signed MCUboot images). */
describe('rollback prediction', () => {
  it('reads secure_version from an ESP-IDF image and the security counter from an MCUboot one', () => {
    assert.deepEqual(image(blink, espBlink, '1.0.2'), { format: 'esp-idf', label: '1.0.2', embeddedVersion: 'qa-test-v5.0-20220830-4-g4532e6', secureVersion: 0 });
    assert.equal(mcu('signed-ed25519-1.2.3+4-seccnt0x1234-pad-align16.bin', '1.3.0').securityCounter, 0x1234);
    assert.equal(mcu('signed-ed25519-1.2.3+4.bin', '1.3.0').securityCounter, undefined);
  });

  it('ESP-IDF: a secure_version below the device\'s is refused by anti-rollback, and dashboards show a failed update', () => {
    const p = predictRollback(image(blink, espBlink, '1.1.1'), { id: 'plug-1', running: '1.1.0', secureVersion: 2, source: 'release 1.1.0 it installed' });
    assert.equal(p.verdict, 'refused');
    assert.deepEqual(p.rules.map((r) => [r.rule, r.accepts]), [['ESP-IDF OTA example (version check)', true], ['ESP-IDF anti-rollback (secure_version)', false]]);
    assert.match(p.rules[1]!.reason, /secure_version 0 is below the device's 2 \(release 1\.1\.0 it installed\)/);
    assert.equal(p.willRun, '1.1.0');
    assert.match(p.dashboard, /^failed update: the device refuses release 1\.1\.1 and keeps running 1\.1\.0/);
  });

  it('ESP-IDF: the same embedded version as the running one is skipped by the OTA example', () => {
    const p = predictRollback(image(blink, espBlink, '1.0.2'), { id: 'plug-2', running: 'qa-test-v5.0-20220830-4-g4532e6', secureVersion: 0, source: 'reported by the device' });
    assert.equal(p.verdict, 'refused');
    assert.match(p.rules[0]!.reason, /equals the one the device runs/);
  });

  it('ESP-IDF: an older image with an equal secure_version installs, runs its own version, and a label-comparing dashboard calls it failed (the seed)', () => {
    const newer = restampEspIdfImage(blink, espBlink, { version: '1.1.0', secureVersion: 1 });
    const older = restampEspIdfImage(blink, espBlink, { version: '1.0.0', secureVersion: 1 });
    assert.equal(newer.image.appDescription?.secureVersion, 1);
    const p = predictRollback(image(older.bytes, espBlink, '1.1.1'), { id: 'plug-3', running: '1.1.0', secureVersion: 1, source: 'reported by the device' });
    assert.equal(p.verdict, 'installs');
    assert.equal(p.willRun, '1.0.0');
    assert.match(p.dashboard, /failed update on dashboards that compare labels: the device installs it but reports 1\.0\.0, not the label 1\.1\.1/);
  });

  it('ESP-IDF: an unknown secure_version leaves the verdict unknown, saying what is missing', () => {
    const p = predictRollback(image(blink, espBlink, '1.1.1'), { id: 'plug-4', running: '1.1.0', source: 'no workspace release carries 1.1.0' });
    assert.equal(p.verdict, 'unknown');
    assert.match(p.unknowns[0]!, /secure_version is unknown/);
  });

  it('MCUboot: a lower header version is refused by downgrade prevention; equal or higher passes', () => {
    const img = mcu('signed-ed25519-1.2.3+4.bin', '2.0.2');
    assert.equal(predictRollback(img, { id: 'm1', running: '2.0.1+7', source: 'x' }).verdict, 'refused');
    assert.equal(predictRollback(img, { id: 'm2', running: '1.2.3+0', source: 'x' }).verdict, 'installs');
    assert.equal(predictRollback(img, { id: 'm3', running: '1.0.0+0', source: 'x' }).verdict, 'installs');
  });

  it('MCUboot: a security counter below the device\'s is refused (hardware rollback protection), and no counter TLV counts as 0', () => {
    const withCounter = mcu('signed-ed25519-1.2.3+4-seccnt0x1234-pad-align16.bin', '1.3.0');
    const refused = predictRollback(withCounter, { id: 'm4', running: '1.0.0+0', securityCounter: 0x2000, source: 'reported by the device' });
    assert.equal(refused.verdict, 'refused');
    assert.deepEqual(refused.rules.map((r) => r.accepts), [true, false]);
    assert.equal(predictRollback(withCounter, { id: 'm5', running: '1.0.0+0', securityCounter: 0x1234, source: 'x' }).verdict, 'installs');
    const none = predictRollback(mcu('signed-ed25519-1.2.3+4.bin', '1.3.0'), { id: 'm6', running: '1.0.0+0', securityCounter: 1, source: 'x' });
    assert.equal(none.verdict, 'refused');
    assert.match(none.rules[1]!.reason, /security counter 0 \(no counter TLV\) is below the device's 1/);
  });

  it('a raw image carries nothing a device compares: it installs, and the device runs the label', () => {
    const raw = image(readFileSync(join(mcubootDir, 'payload.bin')), 'payload.bin', '1.0.2');
    const p = predictRollback(raw, { id: 'r1', running: '1.0.1', source: 'x' });
    assert.equal(p.verdict, 'installs');
    assert.equal(p.rules.length, 0);
  });

  it('device facts: a reported secure_version wins; else the release the device installed here; else the release carrying its version', () => {
    const device = (attributes: Record<string, string>): Device => ({ id: 'd1', protocol: 'ddi', attributes, firstSeen: '', lastSeen: '', whyNot: [] });
    const known = [
      { label: '1.0.0', embeddedVersion: '1.0.0', secureVersion: 0 },
      { label: '1.1.0', embeddedVersion: '1.1.0', secureVersion: 2 },
      { label: '1.1.1', embeddedVersion: '1.1.0', secureVersion: 3 },
    ];
    const releases = [{ id: 'r7', label: '1.1.0' } as Release];
    const sessions = [{ id: '9', deviceId: 'd1', releaseId: 'r7', state: 'succeeded' } as UpdateSession];
    assert.deepEqual(deviceFacts(device({ version: '1.1.0', secure_version: '5' }), sessions, releases, known), { id: 'd1', running: '1.1.0', secureVersion: 5, source: 'reported by the device' });
    assert.deepEqual(deviceFacts(device({ version: '1.1.0' }), sessions, releases, known), { id: 'd1', running: '1.1.0', secureVersion: 2, source: 'release 1.1.0 it installed' });
    assert.deepEqual(deviceFacts(device({ version: '1.1.0' }), [], releases, known), { id: 'd1', running: '1.1.0', secureVersion: 3, source: 'release 1.1.1 carries the version it reports' });
    assert.deepEqual(deviceFacts(device({ version: '9.9.9' }), [], releases, known), { id: 'd1', running: '9.9.9', source: 'no workspace release carries 9.9.9' });
  });
});

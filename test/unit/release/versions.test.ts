import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runBuild } from '../../../src/core/build/runBuild';
import { requireWorkspaceConfig } from '../../../src/core/config/loader';
import { OtaError } from '../../../src/core/errors';
import { bumpChannelVersion, readChannelLabel } from '../../../src/core/version/channelVersion';
import { embeddedVersionForLabel, predictDevice } from '../../../src/core/version/deviceAcceptance';
import { bumpSemver, compareSemver, formatSemver, parseSemver, parseTagSemver, requireSemver } from '../../../src/core/version/semver';
import { check, codes, minimal } from '../config/helpers';
import { makeWorkspace } from './workspace';

describe('versions', () => {
  it('bumps and orders semver labels', () => {
    const bump = (text: string, kind: 'major' | 'minor' | 'patch') => formatSemver(bumpSemver(requireSemver(text), kind));
    assert.equal(bump('1.2.3', 'patch'), '1.2.4');
    assert.equal(bump('1.2.3+7', 'minor'), '1.3.0');
    assert.equal(bump('1.2.3', 'major'), '2.0.0');
    assert.equal(bump('2.0.0-rc.1', 'patch'), '2.0.0');
    assert.equal(bump('1.0.0-rc.1', 'major'), '1.0.0');
    assert.equal(bump('1.2.0-rc.1', 'major'), '2.0.0');
    assert.equal(bump('1.2.0-rc.1', 'minor'), '1.2.0');
    assert.equal(bump('1.2.3-rc.1+9', 'minor'), '1.3.0');
    assert.equal(parseSemver('1.0'), undefined);
    assert.equal(formatSemver(requireSemver('2.0.1-alpha.beta+exp.sha.5114f85')), '2.0.1-alpha.beta+exp.sha.5114f85');
    const sorted = ['1.0.0', '1.0.0-rc.2', '1.0.0-rc.10', '0.9.9', '1.0.0-alpha'].map((t) => requireSemver(t)).sort(compareSemver).map(formatSemver);
    assert.deepEqual(sorted, ['0.9.9', '1.0.0-alpha', '1.0.0-rc.2', '1.0.0-rc.10', '1.0.0']);
  });

  it('reads labels strictly: no leading v, no leading zeros, no spaces; git tags may carry a v', () => {
    for (const v of ['0.0.0', '1.2.3', '10.20.30', '1.0.0-rc.1', '1.2.3+4', '2.0.1-alpha.beta+exp.sha.5114f85', '1.0.0-0A.is.legal', '1.2.3-0', '1.2.3-x.01a']) assert.ok(parseSemver(v), v);
    for (const v of ['1.0', '1', 'v1.2.3', 'V1.2.3', '=1.2.3', '01.2.3', '1.2.03', '1.2.3-', '1.2.3+', '1.2.3-01', '1.2.3-rc.01', ' 1.2.3', '1.2.3 ', '1.2.3.4', '1.2.3-a..b', '']) {
      assert.equal(parseSemver(v), undefined, v);
      assert.throws(() => requireSemver(v, 'release label'), (e: unknown) => e instanceof OtaError && e.code === 'version-invalid' && /is not a semver release label/.test(e.message), v);
    }
    assert.equal(parseTagSemver('v1.2.3')?.version, '1.2.3');
    assert.equal(parseTagSemver('1.2.3')?.version, '1.2.3');
    assert.equal(parseTagSemver('v1.2.3-01'), undefined);
    assert.equal(parseTagSemver('release-1'), undefined);
  });

  it('the config check and release creation agree on what a label is', () => {
    for (const v of ['1.2.3-01', 'v1.2.3', '1.2.3', '1.0.0-0A.is.legal', '1.2.3-rc.1+b.7']) {
      const config = minimal();
      (config.channels as Record<string, unknown>[])[0]!.version = { source: 'fixed', value: v };
      const configAccepts = !codes(check(JSON.stringify(config, null, 2))).includes('invalid-semver');
      let releaseAccepts = true;
      try {
        requireSemver(v, 'release label');
      } catch {
        releaseAccepts = false;
      }
      assert.equal(configAccepts, releaseAccepts, v);
      assert.equal(configAccepts, v === '1.2.3' || v === '1.0.0-0A.is.legal' || v === '1.2.3-rc.1+b.7', v);
    }
  });

  it('turns a label into the MCUboot header version it is stamped as', () => {
    assert.equal(embeddedVersionForLabel('mcuboot', '1.2.3'), '1.2.3+0');
    assert.equal(embeddedVersionForLabel('mcuboot', '1.2.3-rc.1+9'), '1.2.3+9');
    assert.equal(embeddedVersionForLabel('esp-idf', '1.2.3'), '1.2.3');
  });

  it('predicts the device rules: ESP-IDF equal version, anti-rollback, MCUboot downgrade', () => {
    const running = { embeddedVersion: '1.0.1', secureVersion: 2, source: 'test' };
    const stress = predictDevice('esp-idf', { embeddedVersion: '1.0.1', secureVersion: 2 }, '1.0.2', running);
    assert.equal(stress.refused, true);
    assert.equal(stress.willReport, '1.0.1');
    assert.equal(stress.labelMismatch, true);
    const rollback = predictDevice('esp-idf', { embeddedVersion: '1.0.0', secureVersion: 1 }, '1.0.2', running);
    assert.deepEqual(rollback.rules.map((r) => r.accepts), [true, false]);
    const mcu = { embeddedVersion: '1.1.0+0', source: 'test' };
    assert.equal(predictDevice('mcuboot', { embeddedVersion: '1.0.0+0' }, '1.1.1', mcu).refused, true);
    assert.equal(predictDevice('mcuboot', { embeddedVersion: '1.1.0+0' }, '1.1.1', mcu).refused, false, 'equal versions pass MCUboot');
    assert.equal(predictDevice('mcuboot', { embeddedVersion: '1.1.1+0' }, '1.1.1', mcu).labelMismatch, false);
  });

  it('bumps a fixed version in .vscode/ota.json and a version file, keeping the rest of each file', async () => {
    const folder = makeWorkspace();
    const loaded = await requireWorkspaceConfig(folder);
    const before = readFileSync(join(folder, '.vscode', 'ota.json'), 'utf8');
    const fixed = await bumpChannelVersion(loaded, 0, 'minor');
    assert.deepEqual([fixed.previous, fixed.next], ['1.0.0', '1.1.0']);
    const after = readFileSync(join(folder, '.vscode', 'ota.json'), 'utf8');
    assert.equal(after, before.replace('"value": "1.0.0"', '"value": "1.1.0"'));
    const file = await bumpChannelVersion(loaded, 1, 'patch');
    assert.deepEqual([file.previous, file.next], ['1.0.0', '1.0.1']);
    assert.equal(readFileSync(join(folder, 'fw', 'VERSION'), 'utf8'), '1.0.1\n');
    const reloaded = await requireWorkspaceConfig(folder);
    assert.equal((await readChannelLabel(reloaded.config.channels[0]!, folder)).label, '1.1.0');
  });
});

describe('versions from git', () => {
  it('bumps a git-describe channel by tagging, and a build records commit and dirty flag', async () => {
    const folder = makeWorkspace();
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], { cwd: folder, stdio: 'pipe' }).toString().trim();
    git('init', '-q');
    git('add', '-A');
    git('commit', '-q', '-m', 'firmware');
    git('tag', 'v1.4.0');
    const config = JSON.parse(readFileSync(join(folder, '.vscode', 'ota.json'), 'utf8'));
    config.channels[1].version = { source: 'git-describe' };
    writeFileSync(join(folder, '.vscode', 'ota.json'), JSON.stringify(config, null, 2));
    const loaded = await requireWorkspaceConfig(folder);
    const bumped = await bumpChannelVersion(loaded, 1, 'patch');
    assert.deepEqual([bumped.previous, bumped.next, bumped.changed], ['1.4.0', '1.4.1', 'git tag v1.4.1']);
    assert.equal((await readChannelLabel(loaded.config.channels[1]!, folder)).label, '1.4.1');
    const built = await runBuild(loaded.config.channels[1]!, folder, { env: process.env });
    assert.equal(built.metadata.gitCommit, git('rev-parse', 'HEAD'));
    assert.equal(built.metadata.gitDirty, true, 'the edited config and build/ are uncommitted');
  });

  it('passes build output on whole even when a pipe read splits a UTF-8 character', async () => {
    const folder = makeWorkspace();
    const loaded = await requireWorkspaceConfig(folder);
    // ✓ is e2 9c 93 and ‘ is e2 80 98: the pauses make the halves arrive as separate reads.
    const command = "printf '\\342\\234' >&2; sleep 0.2; printf '\\223 ok \\342' >&2; sleep 0.2; printf '\\200\\230x\\342\\200\\231\\n' >&2; mkdir -p build && cp fw/blink.src build/blink.bin";
    const channel = { ...loaded.config.channels[0]!, build: { command } };
    const chunks: string[] = [];
    await runBuild(channel, folder, { env: process.env, onOutput: (text, stream) => stream === 'stderr' && chunks.push(text) });
    assert.equal(chunks.join(''), '✓ ok ‘x’\n');
    assert.ok(chunks.length >= 2, `the output came in ${chunks.length} read(s)`);
    assert.ok(!chunks.some((c) => c.includes('\ufffd')));
  });

  it('says where to change a version that comes from the image', async () => {
    const folder = makeWorkspace();
    const config = JSON.parse(readFileSync(join(folder, '.vscode', 'ota.json'), 'utf8'));
    config.channels[0].version = { source: 'image' };
    writeFileSync(join(folder, '.vscode', 'ota.json'), JSON.stringify(config, null, 2));
    await assert.rejects(bumpChannelVersion(await requireWorkspaceConfig(folder), 0, 'patch'), (err: unknown) => err instanceof OtaError && err.code === 'version-source-image' && /PROJECT_VER/.test(err.hint ?? ''));
  });
});

import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { silentLogger } from '../../../src/core/logger';
import { escapeControlChars, terminalSafeJson } from '../../../src/core/text/controlChars';
import type { JournalRecord } from '../../../src/server/state/records';
import { Journal } from '../../../src/server/storage/journal';
import type { RunningServer } from '../../../src/server/startServer';
import { spawn } from 'node:child_process';
import { cliMain, runCli } from '../../helpers/runCli';
import { removeDir, start, tempDir, token } from './helpers/server';

/** Escape sequences a device could try to get a terminal to run: clear screen, window title, clipboard write, erase line, 8-bit CSI. */
const hostile = 'dev\u001b[2J\u001b]0;pwned\u0007\u001b]52;c;aGk=\u0007\r\u001b[2Kfake line\u009b31m';

describe('terminal safety: device strings printed by ota status / ota watch', () => {
  let dir: string;
  let server: RunningServer;

  before(async () => {
    dir = await tempDir();
    // Older servers stored such strings; a journal of one is what this server reads on start.
    const journal = await Journal.open<JournalRecord>(join(dir, 'journal.log'), () => undefined, silentLogger);
    await journal.append({ t: 'device', device: { id: hostile, protocol: 'ddi', attributes: { [hostile]: hostile }, firstSeen: '2026-01-01T00:00:00.000Z', lastSeen: '2026-01-01T00:00:00.000Z' } });
    await journal.close();
    server = await start(dir);
  });
  after(async () => {
    await server.close(0);
    await removeDir(dir);
  });

  const noControls = (text: string) => {
    for (const ch of text) {
      const c = ch.charCodeAt(0);
      if (ch !== '\n' && (c < 0x20 || (c >= 0x7f && c <= 0x9f))) return false;
    }
    return true;
  };

  it('escapes control characters in the text and JSON of ota status', async () => {
    const human = await runCli(['status', '--server', server.url], { env: { OTA_SERVER_TOKEN: token } });
    assert.equal(human.code, 0, human.stderr);
    assert.ok(noControls(human.stdout), JSON.stringify(human.stdout));
    assert.ok(human.stdout.includes(escapeControlChars(hostile)), 'shown escaped, not dropped');
    const json = await runCli(['status', '--server', server.url, '--json'], { env: { OTA_SERVER_TOKEN: token } });
    assert.ok(noControls(json.stdout));
    assert.equal((JSON.parse(json.stdout) as { devices: { id: string }[] }).devices[0]!.id, hostile, 'the JSON value is unchanged');
  });

  it('escapes control characters in ota watch lines', async () => {
    const child = spawn(process.execPath, [cliMain, 'watch', '--server', server.url, '--for', '60'], { env: { ...process.env, OTA_SERVER_TOKEN: token }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    try {
      // It asks only for what happens from now on: emit once it is connected (it says so on stderr).
      await new Promise<void>((resolve, reject) => {
        child.stderr.on('data', (c: Buffer) => /watching/.test(c.toString()) && resolve());
        child.on('exit', (code) => reject(new Error(`ota watch exited with ${code}`)));
      });
      server.service.ctx.events.emit('device.attributes', server.service.ctx.model.devices.get(hostile));
      await new Promise<void>((resolve) => child.stdout.on('data', () => /\n/.test(stdout) && resolve()));
    } finally {
      child.kill();
    }
    assert.match(stdout, /device dev\\x1b\[2J/);
    assert.ok(noControls(stdout), JSON.stringify(stdout));
  });

  it('keeps JSON values while escaping DEL and C1', () => {
    const text = terminalSafeJson(JSON.stringify({ s: 'a\u007fb\u009bc' }));
    assert.equal(text, '{"s":"a\\u007fb\\u009bc"}');
    assert.deepEqual(JSON.parse(text), { s: 'a\u007fb\u009bc' });
  });
});

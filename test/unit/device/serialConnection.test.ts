import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SerialPort } from 'serialport';
import { SerialConnection } from '../../../src/device/serial/serialConnection';
import { SerialManager } from '../../../src/device/serial/serialManager';
import type { ReceivedLine } from '../../../src/device/serial/lineAssembler';
import { setTimeout as delay } from 'node:timers/promises';
import { openPtyPair } from '../../../src/device/simulator/ptyPair';
import { eventually } from '../../helpers/eventually';
import type { PtyPair } from '../../../src/device/simulator/ptyPair';

describe('serial connection over a socat pty pair', function () {
  this.timeout(15000);
  let dir: string;
  let pair: PtyPair | undefined;
  let connection: SerialConnection | undefined;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ota-serial-'));
    pair = await openPtyPair(dir);
  });

  afterEach(async () => {
    await connection?.disconnect();
    connection?.dispose();
    connection = undefined;
    await pair?.close();
    pair = undefined;
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function writeToDevice(target: string, ...chunks: string[]): Promise<void> {
    const handle = await fs.open(target, 'w');
    try {
      for (const chunk of chunks) {
        await handle.write(chunk);
        await delay(5);
      }
    } finally {
      await handle.close();
    }
  }

  function linesUntil(conn: SerialConnection, count: number, timeoutMs = 3000): Promise<ReceivedLine[]> {
    const lines: ReceivedLine[] = [];
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        sub.dispose();
        reject(new Error(`only ${lines.length} of ${count} lines within ${timeoutMs} ms: ${JSON.stringify(lines.map((l) => l.text))}`));
      }, timeoutMs);
      const sub = conn.onLine((line) => {
        lines.push(line);
        if (lines.length < count) return;
        clearTimeout(timer);
        sub.dispose();
        resolve(lines);
      });
    });
  }

  it('lists a configured pty path that the OS does not enumerate', async () => {
    const manager = new SerialManager();
    const listed = await manager.list([pair!.monitor, path.join(dir, 'absent')]);
    assert.deepEqual(
      listed.filter((p) => p.source === 'config').map((p) => [path.basename(p.path), p.present]),
      [
        ['monitor', true],
        ['absent', false],
      ],
    );
    manager.dispose();
  });

  it('connects, assembles lines written in pieces, and sends a line to the device', async () => {
    connection = new SerialConnection({ path: pair!.monitor, baudRate: 115200 });
    assert.equal((await connection.connect()).kind, 'connected');
    const received = linesUntil(connection, 2);
    await writeToDevice(pair!.device, 'I (182) cpu_start: App ver', 'sion:      1.0.0\r\nI (195) cpu_start: ELF file SHA256:  ', 'a1b2c3d4e5f60718...\r\n');
    assert.deepEqual(
      (await received).map((l) => l.text),
      ['I (182) cpu_start: App version:      1.0.0', 'I (195) cpu_start: ELF file SHA256:  a1b2c3d4e5f60718...'],
    );

    const device = new SerialPort({ path: pair!.device, baudRate: 115200, lock: false });
    const echoed = new Promise<string>((resolve) => {
      let text = '';
      device.on('data', (d: Buffer) => {
        text += d.toString();
        if (text.includes('\n')) resolve(text);
      });
    });
    await connection.setBaudRate(921600);
    await connection.sendLine('ota status');
    assert.equal(await echoed, 'ota status\n');
    assert.equal(connection.state.kind, 'connected', 'a baud change keeps the port open');
    await new Promise<void>((resolve) => device.close(() => resolve()));
  });

  it('waits while the pty is gone and reconnects within 2 s of it coming back', async () => {
    connection = new SerialConnection({ path: pair!.monitor, baudRate: 115200 });
    await connection.connect();
    await pair!.close();
    const waiting = await connection.waitForState((s) => s.kind === 'waiting', 2000);
    assert.match(waiting.kind === 'waiting' ? waiting.reason : '', /went away|does not exist/);

    pair = await openPtyPair(dir);
    await connection.waitForState((s) => s.kind === 'connected', 2000);
    const received = linesUntil(connection, 1);
    await writeToDevice(pair.device, 'I (29) boot: ESP-IDF v5.0 2nd stage bootloader\n');
    assert.equal((await received)[0]?.text, 'I (29) boot: ESP-IDF v5.0 2nd stage bootloader');
  });

  it('reports which process holds a busy port, then connects once it lets go', async () => {
    // Its own process group, so that ending it also ends the `sleep` that inherits the locked fd.
    const holder = spawn('flock', ['-x', pair!.monitor, 'sleep', '30'], { stdio: 'ignore', detached: true });
    const holderExited = new Promise<void>((resolve) => holder.once('exit', () => resolve()));
    try {
      // flock(1) takes the lock right after it starts; wait (bounded) until /proc/locks shows one.
      await eventually(async () => (await fs.readFile('/proc/locks', 'utf8')).includes(` ${holder.pid} `) || undefined, 10_000, 'flock to take the lock (in /proc/locks)', 20);
      connection = new SerialConnection({ path: pair!.monitor, baudRate: 115200 });
      const state = await connection.connect();
      assert.equal(state.kind, 'busy');
      if (state.kind !== 'busy') return;
      assert.deepEqual(
        state.holders.map((h) => h.pid),
        [holder.pid],
      );
      assert.match(state.message, new RegExp(`held by pid ${holder.pid} \\(flock -x .*sleep 30\\)`));
    } finally {
      process.kill(-holder.pid!, 'SIGTERM');
      await holderExited;
    }
    await connection.waitForState((s) => s.kind === 'connected', 2000);
  });

  it('opens the port once when connect() is called again while it is opening', async () => {
    connection = new SerialConnection({ path: pair!.monitor, baudRate: 115200 });
    const states = await Promise.all([connection.connect(), connection.connect(), connection.connect()]);
    assert.deepEqual(
      states.map((s) => s.kind),
      ['connected', 'connected', 'connected'],
    );
    await delay(300); // a stray second port would have failed to lock and turned the state to busy
    assert.equal(connection.state.kind, 'connected');
  });

  it('refuses to send while not connected, with a hint', async () => {
    connection = new SerialConnection({ path: path.join(dir, 'nothing'), baudRate: 9600 });
    assert.equal((await connection.connect()).kind, 'waiting');
    await assert.rejects(connection.sendLine('x'), /not connected/);
  });
});

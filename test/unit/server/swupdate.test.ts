import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { UpdateSession } from '../../../src/core/protocol/management';
import { ManagementClient } from '../../../src/providers/ota/managementClient';
import { startServer } from '../../../src/server/startServer';
import { exited } from './helpers/child';
import { removeDir, tempDir, token } from './helpers/server';
import { eventually } from '../../helpers/eventually';
import { buildSwu } from './helpers/swu';
import { requireTools } from '../../helpers/tools';

/** SWUpdate's suricatta (Debian package `swupdate`, built with hawkBit support) against our DDI. */
describe('SWUpdate suricatta polling the server', function () {
  this.timeout(60_000);

  for (const tls of [false, true]) {
    it(`downloads and installs a signed .swu, and the confirmation after "reboot" closes the session${tls ? ' (HTTPS, trusting the exported CA, with a gateway token)' : ''}`, async function () {
      requireTools(this, 'swupdate', 'openssl');
      const dir = await tempDir('ota-swu-');
      const server = await startServer({ dataDir: join(dir, 'data'), port: 0, token, tls, settings: { pollingSleepSec: 1 }, ...(tls ? { deviceToken: 'gw-secret' } : {}) });
      if (server.caCertPem) await writeFile(join(dir, 'ca.pem'), server.caCertPem);
      const children: ChildProcess[] = [];
      const suricatta = (extra: string) => {
        const child = spawn('swupdate', ['-f', join(dir, 'swupdate.cfg'), '-H', 'board:1.0', '-u', `-t DEFAULT -u ${server.url} -i swu-1 -p 1${tls ? ' -g gw-secret' : ''}${extra}`, '-v'], {
          stdio: ['ignore', 'pipe', 'pipe'],
          // Its temp files go under our dir; its IPC sockets (/tmp/sockinstctrl, /tmp/swupdateprog) are fixed in Debian's build.
          env: { ...process.env, TMPDIR: `${dir}/` },
        });
        let log = '';
        child.stdout!.on('data', (c: Buffer) => (log += c.toString()));
        child.stderr!.on('data', (c: Buffer) => (log += c.toString()));
        children.push(child);
        return () => log;
      };
      try {
        const payload = randomBytes(5000);
        const installed = join(dir, 'installed', 'payload.bin');
        await mkdir(join(dir, 'installed'));
        await writeFile(join(dir, 'update.swu'), await buildSwu(dir, payload, installed, '1.0.1'));
        await writeFile(
          join(dir, 'swupdate.cfg'),
          `globals: { verbose = true; loglevel = 6; public-key-file = "${join(dir, 'signer.pem')}"; };\n` +
            'identify: ( { name = "fw_key"; value = "K"; }, { name = "channel"; value = "main"; }, { name = "pid"; value = "P"; } );\n' +
            // SWUpdate verifies the server certificate by default; cafile is how a device trusts our CA.
            (tls ? `suricatta: { cafile = "${join(dir, 'ca.pem')}"; };\n` : ''),
        );
        const client = new ManagementClient(server.url, token, server.caCertPem ? { ca: server.caCertPem } : {});
        const release = await client.pushFile(join(dir, 'update.swu'), { pid: 'P', fwKey: 'K', channel: 'main', label: '1.0.1' });
        await client.deploy({ releaseId: release.id });

        const log = suricatta('');
        const session = async (state: string) => ((await client.status()).sessions as UpdateSession[]).find((s) => s.deviceId === 'swu-1' && s.state === state);
        const installing = await eventually(() => session('installing'), 30_000, `suricatta to install (log:\n${log().slice(-2000)})`);
        assert.equal(installing.bytesServed, release.size);
        assert.ok((await readFile(installed)).equals(payload), 'the payload was installed');
        const device = (await client.status()).devices.find((d) => d.id === 'swu-1')!;
        assert.equal(device.attributes.fw_key, 'K', 'configData from the identify section');
        children[0]!.kill('SIGTERM');
        await exited(children[0]!);

        // After the "reboot" SWUpdate confirms the installed update (-c 2 = SUCCESS).
        const log2 = suricatta(' -c 2');
        await eventually(() => session('succeeded'), 30_000, `the confirmation (log:\n${log2().slice(-2000)})`);
      } finally {
        for (const c of children) {
          c.kill('SIGTERM');
          await exited(c);
        }
        await server.close(0);
        await removeDir(dir);
      }
    });
  }
});

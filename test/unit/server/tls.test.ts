import * as assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer } from '../../../src/server/startServer';
import { request } from './helpers/http';
import { removeDir, tempDir, token } from './helpers/server';
import { requireTools } from '../../helpers/tools';

describe('TLS with the local CA', () => {
  it('serves HTTPS that verifies against the exported CA, with SANs for localhost, 127.0.0.1 and the chosen host, reused on restart', async () => {
    const dir = await tempDir();
    try {
      let server = await startServer({ dataDir: dir, port: 0, token, tls: true, tlsHosts: ['ota.lab.example', '192.168.7.2'] });
      const ca = server.caCertPem!;
      try {
        const reply = await request(`${server.url}/api/v1/status`, { headers: { authorization: `Bearer ${token}` }, ca });
        assert.equal(reply.status, 200);
        const viaName = await request(`https://localhost:${server.port}/api/v1/status`, { headers: { authorization: `Bearer ${token}` }, ca });
        assert.equal(viaName.status, 200);
        await assert.rejects(request(`${server.url}/api/v1/status`), /self-signed|unable to verify|certificate/i);
      } finally {
        await server.close(0);
      }
      server = await startServer({ dataDir: dir, port: 0, token, tls: true, tlsHosts: ['ota.lab.example', '192.168.7.2'] });
      try {
        assert.equal(server.caCertPem, ca, 'the CA is persisted and reused');
        assert.ok(new X509Certificate(ca).ca);
        const cert = new X509Certificate(await readFile(join(dir, 'tls', 'server.pem')));
        for (const name of ['localhost', 'ota.lab.example']) assert.ok(cert.checkHost(name), name);
        for (const ip of ['127.0.0.1', '192.168.7.2']) assert.ok(cert.checkIP(ip), ip);
        assert.ok(cert.checkIssued(new X509Certificate(ca)));
      } finally {
        await server.close(0);
      }
    } finally {
      await removeDir(dir);
    }
  });

  it('is trusted by curl (OpenSSL) with the exported CA, for 127.0.0.1 and localhost, and by no one without it', async function () {
    requireTools(this, 'curl');
    const dir = await tempDir();
    const server = await startServer({ dataDir: dir, port: 0, token, tls: true });
    try {
      const caFile = join(dir, 'exported-ca.pem');
      await writeFile(caFile, server.caCertPem!);
      for (const host of ['127.0.0.1', 'localhost']) {
        const out = await run('curl', ['-sS', '--cacert', caFile, '-H', `authorization: Bearer ${token}`, '-o', '/dev/null', '-w', '%{http_code}', `https://${host}:${server.port}/api/v1/status`]);
        assert.equal(out.stdout, '200', `${host}: ${out.stderr}`);
      }
      const untrusted = await run('curl', ['-sS', '-o', '/dev/null', `https://127.0.0.1:${server.port}/api/v1/status`]);
      assert.notEqual(untrusted.code, 0);
      assert.match(untrusted.stderr, /certificate/i);
    } finally {
      await server.close(0);
      await removeDir(dir);
    }
  });
});

function run(cmd: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

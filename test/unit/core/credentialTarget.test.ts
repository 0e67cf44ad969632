import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { isDocumentedCredentialEnv } from '../../../src/core/config/envCredential';
import { checkCredentialTarget } from '../../../src/core/net/credentialTarget';
import { ManagementClient } from '../../../src/providers/ota/managementClient';
import { runCli } from '../../helpers/runCli';

describe('credentials go only over HTTPS or to this machine', () => {
  it('allows https anywhere and http to loopback; refuses plain http to another host', () => {
    for (const ok of ['https://ota.example.com', 'https://10.0.0.5:8443', 'http://127.0.0.1:8080', 'http://localhost:1', 'http://[::1]:8080']) checkCredentialTarget(new URL(ok), 'the token');
    for (const bad of ['http://ota.example.com', 'http://10.0.0.5:8080', 'http://127.0.0.1.attacker.example', 'ftp://127.0.0.1']) {
      assert.throws(() => checkCredentialTarget(new URL(bad), 'the token'), /the token would be sent over/, bad);
    }
    assert.throws(() => new ManagementClient('http://192.0.2.10:8080', 't'), /anyone on the network path/);
  });

  it('ota status refuses before connecting: a listener on a non-loopback URL never sees the token', async () => {
    // A real listener on loopback, named through a host that is not loopback by name: the client
    // must refuse on the URL, so nothing arrives.
    let connections = 0;
    const listener = net.createServer((s) => {
      connections++;
      s.destroy();
    });
    await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
    try {
      const port = (listener.address() as AddressInfo).port;
      const ran = await runCli(['status', '--server', `http://127.0.0.1.nip.io:${port}`], { env: { OTA_SERVER_TOKEN: 'secret-token' } });
      assert.notEqual(ran.code, 0);
      assert.match(ran.stderr, /would be sent over http/);
      assert.doesNotMatch(ran.stderr + ran.stdout, /secret-token/);
      assert.equal(connections, 0);
    } finally {
      listener.close();
    }
  });

  it('sends only documented OTA_ environment variables without asking', () => {
    assert.ok(isDocumentedCredentialEnv('OTA_SERVER_TOKEN'));
    assert.ok(isDocumentedCredentialEnv('OTA_SECRET_HB_TOKEN'));
    for (const name of ['AWS_SECRET_ACCESS_KEY', 'GITHUB_TOKEN', 'ota_server_token', 'OTA_']) assert.equal(isDocumentedCredentialEnv(name), false, name);
  });
});

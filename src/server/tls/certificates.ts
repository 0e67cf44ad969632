import { generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import * as forge from 'node-forge';
import { writeFileAtomically } from '../../core/files/atomicOutput';

export interface TlsMaterial {
  caCertPem: string;
  certPem: string;
  keyPem: string;
  hosts: string[];
}

const defaultHosts = ['localhost', '127.0.0.1', '::1'];

/**
 * A local CA and a server certificate signed by it, kept in `dir` and reused while they cover
 * the wanted hosts and are not about to expire. Devices trust the CA (flashed in as PEM or a C
 * header), so the server certificate can be re-issued for new hosts without reflashing.
 */
export async function ensureTls(dir: string, extraHosts: readonly string[] = []): Promise<TlsMaterial> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const hosts = [...new Set([...defaultHosts, ...extraHosts.filter((h) => h && h !== '0.0.0.0' && h !== '::')])];
  let ca = await readPair(dir, 'ca');
  if (!ca || expiresSoon(ca.certPem)) {
    ca = createCa();
    await writePair(dir, 'ca', ca);
  }
  const server = await readPair(dir, 'server');
  if (server && !expiresSoon(server.certPem) && covers(server.certPem, hosts) && issuedBy(server.certPem, ca.certPem)) {
    return { caCertPem: ca.certPem, certPem: server.certPem, keyPem: server.keyPem, hosts };
  }
  const issued = createServerCert(ca, hosts);
  await writePair(dir, 'server', issued);
  return { caCertPem: ca.certPem, certPem: issued.certPem, keyPem: issued.keyPem, hosts };
}

interface Pair {
  certPem: string;
  keyPem: string;
}

function newKey(): { pem: string; forgeKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey } {
  // Node's key generation is native and fast; forge (pure JS) builds and signs the certificates.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(pem);
  return { pem, forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e) };
}

function serial(): string {
  // Positive and minimally encoded: a first byte of 0x00 would make the DER INTEGER
  // non-minimal, which OpenSSL refuses (about one certificate in 128).
  const b = randomBytes(16);
  b[0] = (b[0]! & 0x7f) | 0x40;
  return b.toString('hex');
}

function createCa(): Pair {
  const key = newKey();
  const cert = forge.pki.createCertificate();
  cert.publicKey = key.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 10 * 365 * 24 * 3600 * 1000);
  const subject = [
    { name: 'commonName', value: 'OTA Workbench local CA' },
    { name: 'organizationName', value: 'OTA Workbench (development only)' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(key.forgeKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert).replace(/\r\n/g, '\n'), keyPem: key.pem };
}

function createServerCert(ca: Pair, hosts: readonly string[]): Pair {
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const caKey = forge.pki.privateKeyFromPem(ca.keyPem);
  const key = newKey();
  const cert = forge.pki.createCertificate();
  cert.publicKey = key.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  // Under 398 days: clients that enforce the CA/Browser limit still accept it.
  cert.validity.notAfter = new Date(Date.now() + 397 * 24 * 3600 * 1000);
  cert.setSubject([{ name: 'commonName', value: hosts.find((h) => !isIP(h)) ?? 'localhost' }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: hosts.map((h) => (isIP(h) ? { type: 7, ip: h } : { type: 2, value: h })) },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert).replace(/\r\n/g, '\n'), keyPem: key.pem };
}

async function readPair(dir: string, name: string): Promise<Pair | undefined> {
  try {
    return { certPem: await readFile(join(dir, `${name}.pem`), 'utf8'), keyPem: await readFile(join(dir, `${name}.key`), 'utf8') };
  } catch {
    return undefined;
  }
}

async function writePair(dir: string, name: string, pair: Pair): Promise<void> {
  for (const [file, text, mode] of [[`${name}.key`, pair.keyPem, 0o600], [`${name}.pem`, pair.certPem, 0o644]] as const) {
    await writeFileAtomically(join(dir, file), text, { mode, hint: `Check that ${dir} is a writable folder.` });
  }
}

function expiresSoon(pem: string): boolean {
  try {
    return Date.parse(new X509Certificate(pem).validTo) < Date.now() + 7 * 24 * 3600 * 1000;
  } catch {
    return true;
  }
}

function covers(pem: string, hosts: readonly string[]): boolean {
  const x = new X509Certificate(pem);
  return hosts.every((h) => (isIP(h) ? x.checkIP(h) !== undefined : x.checkHost(h) !== undefined));
}

function issuedBy(pem: string, caPem: string): boolean {
  return new X509Certificate(pem).checkIssued(new X509Certificate(caPem));
}

/** The CA as a C header, ready for `esp_http_client_config_t.cert_pem` and friends. */
export function caAsCHeader(caCertPem: string, symbol = 'ota_workbench_ca_pem'): string {
  const guard = `${symbol.toUpperCase()}_H`;
  const lines = caCertPem
    .trim()
    .split(/\r?\n/)
    .map((l) => `    "${l}\\n"`);
  return [
    '/* OTA Workbench local CA certificate (development only), generated by `ota ca`. */',
    `#ifndef ${guard}`,
    `#define ${guard}`,
    '',
    `static const char ${symbol}[] =`,
    ...lines.slice(0, -1),
    `${lines[lines.length - 1]};`,
    '',
    `#endif /* ${guard} */`,
    '',
  ].join('\n');
}

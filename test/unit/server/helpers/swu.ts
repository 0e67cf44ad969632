import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A cpio archive in the "new ASCII with CRC" format (070702), which SWUpdate reads. */
export function cpioCrc(files: { name: string; data: Buffer }[]): Buffer {
  const out: Buffer[] = [];
  const pad = (n: number) => Buffer.alloc((4 - (n % 4)) % 4);
  const entry = (name: string, data: Buffer, ino: number, mode: number) => {
    let check = 0;
    for (const b of data) check = (check + b) >>> 0;
    const hex = (n: number) => n.toString(16).padStart(8, '0');
    const nameBytes = Buffer.from(`${name}\0`, 'latin1');
    const header = Buffer.from('070702' + [ino, mode, 0, 0, 1, 0, data.length, 0, 0, 0, 0, nameBytes.length, check].map(hex).join(''), 'latin1');
    out.push(header, nameBytes, pad(header.length + nameBytes.length), data, pad(data.length));
  };
  files.forEach((f, i) => entry(f.name, f.data, i + 1, 0o100644));
  entry('TRAILER!!!', Buffer.alloc(0), 0, 0);
  return Buffer.concat(out);
}

/**
 * Builds a signed .swu that installs `payload` to `installPath` with the rawfile handler. The
 * signer certificate (CMS, emailProtection as SWUpdate expects by default) is written to
 * `<dir>/signer.pem` for `public-key-file`.
 */
export async function buildSwu(dir: string, payload: Buffer, installPath: string, version: string): Promise<Buffer> {
  const description = [
    'software =',
    '{',
    `\tversion = "${version}";`,
    '\thardware-compatibility: [ "1.0" ];',
    '\tfiles: (',
    '\t\t{',
    '\t\t\tfilename = "payload.bin";',
    `\t\t\tpath = "${installPath}";`,
    `\t\t\tsha256 = "${createHash('sha256').update(payload).digest('hex')}";`,
    '\t\t}',
    '\t);',
    '}',
    '',
  ].join('\n');
  const desc = join(dir, 'sw-description');
  await writeFile(desc, description);
  const key = join(dir, 'signer.key');
  const cert = join(dir, 'signer.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=ota-workbench-test-signer', '-addext', 'extendedKeyUsage=emailProtection', '-addext', 'keyUsage=digitalSignature'], { stdio: 'ignore' });
  const sig = join(dir, 'sw-description.sig');
  execFileSync('openssl', ['cms', '-sign', '-in', desc, '-out', sig, '-signer', cert, '-inkey', key, '-outform', 'DER', '-nosmimecap', '-binary'], { stdio: 'ignore' });
  return cpioCrc([
    { name: 'sw-description', data: Buffer.from(description) },
    { name: 'sw-description.sig', data: await readFile(sig) },
    { name: 'payload.bin', data: payload },
  ]);
}

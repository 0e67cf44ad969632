/** Byte layout of an MCUboot image (little-endian); see shared/reference/mcuboot-image.md. */
export const mcubootMagic = 0x96f3b83d;
/** The fixed part of the header; `hdr_size` (usually 0x200) pads it. */
export const mcubootHeaderStructSize = 32;
export const tlvInfoMagic = 0x6907;
export const protectedTlvInfoMagic = 0x6908;
export const tlvInfoSize = 4;
export const tlvEntryHeaderSize = 4;

export const TlvType = {
  keyHash: 0x01,
  publicKey: 0x02,
  sha256: 0x10,
  rsa2048: 0x20,
  ecdsa224: 0x21,
  ecdsaSig: 0x22,
  rsa3072: 0x23,
  ed25519: 0x24,
  encRsa2048: 0x30,
  encKw: 0x31,
  encEc256: 0x32,
  encX25519: 0x33,
  dependency: 0x40,
  securityCounter: 0x50,
  bootRecord: 0x60,
} as const;

const tlvNames: Readonly<Record<number, string>> = {
  [TlvType.keyHash]: 'KEYHASH',
  [TlvType.publicKey]: 'PUBKEY',
  [TlvType.sha256]: 'SHA256',
  [TlvType.rsa2048]: 'RSA2048',
  [TlvType.ecdsa224]: 'ECDSA224',
  [TlvType.ecdsaSig]: 'ECDSASIG',
  [TlvType.rsa3072]: 'RSA3072',
  [TlvType.ed25519]: 'ED25519',
  [TlvType.encRsa2048]: 'ENCRSA2048',
  [TlvType.encKw]: 'ENCKW',
  [TlvType.encEc256]: 'ENCEC256',
  [TlvType.encX25519]: 'ENCX25519',
  [TlvType.dependency]: 'DEPENDENCY',
  [TlvType.securityCounter]: 'SEC_CNT',
  [TlvType.bootRecord]: 'BOOT_RECORD',
};

export function tlvName(type: number): string {
  return tlvNames[type] ?? `0x${type.toString(16).padStart(2, '0')}`;
}

export const signatureTlvTypes: readonly number[] = [TlvType.rsa2048, TlvType.ecdsaSig, TlvType.rsa3072, TlvType.ed25519];

const flagNames: ReadonlyArray<[number, string]> = [
  [0x01, 'PIC'],
  [0x04, 'ENCRYPTED_AES128'],
  [0x08, 'ENCRYPTED_AES256'],
  [0x10, 'NON_BOOTABLE'],
  [0x20, 'RAM_LOAD'],
  [0x100, 'ROM_FIXED'],
];

export function mcubootFlagNames(flags: number): string[] {
  const names = flagNames.filter(([bit]) => (flags & bit) !== 0).map(([, name]) => name);
  const known = flagNames.reduce((all, [bit]) => all | bit, 0);
  const unknown = flags & ~known;
  if (unknown) names.push(`0x${unknown.toString(16)}`);
  return names;
}

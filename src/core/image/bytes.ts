/** A NUL-terminated C string stored in a fixed-size char array (the rest of the array is padding). */
export function readCString(buf: Uint8Array, start: number, size: number): string {
  const field = buf.subarray(start, start + size);
  const nul = field.indexOf(0);
  return Buffer.from(field.subarray(0, nul < 0 ? field.length : nul)).toString('latin1');
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

export function hex32(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}

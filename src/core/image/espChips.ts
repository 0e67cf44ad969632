/** Names for the numeric fields of the ESP image header, as esptool prints them. */

const chipNames: Readonly<Record<number, string>> = {
  0: 'ESP32',
  2: 'ESP32-S2',
  5: 'ESP32-C3',
  9: 'ESP32-S3',
  12: 'ESP32-C2',
  13: 'ESP32-C6',
  16: 'ESP32-H2',
  18: 'ESP32-P4',
};

const flashModes = ['QIO', 'QOUT', 'DIO', 'DOUT'];
const flashSizes = ['1MB', '2MB', '4MB', '8MB', '16MB', '32MB', '64MB', '128MB'];
const flashFrequencies: Readonly<Record<number, string>> = { 0x0: '40m', 0x1: '26m', 0x2: '20m', 0xf: '80m' };

export function espChipName(chipId: number): string {
  return chipNames[chipId] ?? `unknown chip ${chipId}`;
}

export function espFlashMode(mode: number): string {
  return flashModes[mode] ?? `unknown (${mode})`;
}

export function espFlashSize(sizeNibble: number): string {
  return flashSizes[sizeNibble] ?? `unknown (${sizeNibble})`;
}

export function espFlashFrequency(freqNibble: number): string {
  return flashFrequencies[freqNibble] ?? `unknown (${freqNibble})`;
}

import { hex32 } from './bytes';
import type { EspIdfImage } from './espIdfImage';
import type { ImageInfo } from './inspectImage';
import type { McubootImage } from './mcubootImage';

/** Label/value rows for people (the CLI prints them aligned; the extension shows them in a hover). */
export type InfoRow = readonly [label: string, value: string];

export function describeImage(info: ImageInfo): InfoRow[] {
  switch (info.format) {
    case 'esp-idf':
      return describeEspIdf(info);
    case 'mcuboot':
      return describeMcuboot(info);
    case 'raw':
      return [
        ['format', 'raw binary (no header the tool recognises)'],
        ['size', `${info.size} bytes`],
      ];
  }
}

function okText(ok: boolean): string {
  return ok ? 'ok' : 'MISMATCH';
}

function describeEspIdf(info: EspIdfImage): InfoRow[] {
  const rows: InfoRow[] = [
    ['format', 'ESP-IDF app image'],
    ['size', `${info.size} bytes`],
    ['chip', `${info.chipName} (chip id ${info.chipId}), min revision ${info.minChipRevision}`],
    ['entry point', hex32(info.entryPoint)],
    ['flash', `mode ${info.flashMode}, size ${info.flashSize}, frequency ${info.flashFrequency}`],
    ['segments', String(info.segmentCount)],
    ...info.segments.map(
      (s): InfoRow => [`  segment ${s.index}`, `load ${hex32(s.loadAddress)}, ${s.length} bytes, header at 0x${s.offset.toString(16)}`],
    ),
    [
      'checksum',
      `0x${info.checksum.stored.toString(16).padStart(2, '0')} at 0x${info.checksum.offset.toString(16)} (${okText(info.checksum.ok)}${info.checksum.ok ? '' : `, computed 0x${info.checksum.computed.toString(16).padStart(2, '0')}`})`,
    ],
    ['hash appended', info.hashAppended ? 'yes' : 'no'],
  ];
  if (info.sha256) {
    rows.push(['SHA-256', `${info.sha256.stored} (${okText(info.sha256.ok)}, over bytes 0..${info.sha256.regionEnd})`]);
    if (!info.sha256.ok) rows.push(['  computed', info.sha256.computed]);
  }
  const desc = info.appDescription;
  if (desc) {
    rows.push(
      ['version', desc.version],
      ['project', desc.projectName],
      ['secure_version', String(desc.secureVersion)],
      ['IDF version', desc.idfVersion],
      ['compiled', `${desc.date} ${desc.time}`],
      ['ELF SHA-256', desc.appElfSha256],
    );
  } else {
    rows.push(['version', '(no esp_app_desc_t: not an application image?)']);
  }
  if (info.trailingBytes > 0) rows.push(['after image', `${info.trailingBytes} bytes (signature block or padding)`]);
  return rows;
}

function describeMcuboot(info: McubootImage): InfoRow[] {
  const rows: InfoRow[] = [
    ['format', 'MCUboot image'],
    ['size', `${info.size} bytes`],
    ['version', info.versionText],
    ['header size', `0x${info.headerSize.toString(16)} (${info.headerSize})`],
    ['image size', `${info.imageSize} bytes`],
    ['load address', hex32(info.loadAddress)],
    ['flags', info.flagNames.length ? `${hex32(info.flags)} (${info.flagNames.join(', ')})` : hex32(info.flags)],
    ['protected TLVs', `${info.protectedTlvSize} bytes`],
    ['TLV area', `0x${info.tlvAreaSize.toString(16)} bytes at 0x${info.tlvAreaOffset.toString(16)}`],
    ...info.tlvs.map((t): InfoRow => [`  TLV ${t.name}`, `type 0x${t.type.toString(16).padStart(2, '0')}, ${t.length} bytes at 0x${t.offset.toString(16)}${t.protected ? ', protected' : ''}`]),
  ];
  if (info.sha256) {
    rows.push(['SHA-256', `${info.sha256.stored} (${okText(info.sha256.ok)})`]);
    if (!info.sha256.ok) rows.push(['  computed', info.sha256.computed]);
  } else {
    rows.push(['SHA-256', 'missing (no SHA256 TLV)']);
  }
  rows.push(['key hash', info.keyHash ?? '(none)']);
  rows.push(['signature', info.signature ? `${info.signature.name}, ${info.signature.length} bytes` : '(unsigned)']);
  if (info.securityCounter !== undefined) rows.push(['security counter', String(info.securityCounter)]);
  if (info.trailingBytes > 0) rows.push(['after TLVs', `${info.trailingBytes} bytes (slot padding / trailer)`]);
  if (info.slotTrailer) {
    rows.push([
      'slot trailer',
      info.slotTrailer.confirmed
        ? 'boot magic, image_ok set: MCUboot installs it from the secondary slot and keeps it (imgtool --confirm)'
        : 'boot magic: MCUboot test-swaps it from the secondary slot and reverts unless the image confirms itself',
    ]);
  }
  return rows;
}

export function formatRows(rows: readonly InfoRow[]): string {
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n') + '\n';
}

import { describeError } from '../../core/errors';
import { inspectImage } from '../../core/image/inspectImage';
import { compareMcubootVersions } from '../../core/image/mcubootVersion';
import type { VerifyingKey } from '../../core/signing/loadKey';
import { verifyMcubootSignature } from '../../core/signing/mcubootVerify';
import type { DeviceConsole } from './deviceConsole';
import type { FlashSlots, SlotIndex } from './flashSlots';

/**
 * MCUboot with MCUBOOT_DOWNGRADE_PREVENTION: before swapping in a new image it compares versions
 * and erases a lower one ("Insufficient version in secondary slot"), then boots the old image. The
 * outcome is kept for the device to report once it is online.
 */
export async function preventDowngrade(slots: FlashSlots, out: DeviceConsole): Promise<void> {
  const boot = slots.boot;
  const previous: SlotIndex = boot.active === 0 ? 1 : 0;
  const incoming = await slots.versionOf(boot.active);
  const current = await slots.versionOf(previous);
  if (incoming.format !== 'mcuboot' || current.format !== 'mcuboot' || compareMcubootVersions(incoming.mcuboot, current.mcuboot) >= 0) return;
  out.raw('I: Starting bootloader');
  out.raw('I: Image index: 0, Swap type: perm');
  out.raw('E: Insufficient version in secondary slot');
  await slots.update({
    active: previous,
    pendingVerify: false,
    unreported: {
      actionId: boot.actionId ?? '',
      success: false,
      details: [`MCUboot downgrade prevention: ${incoming.version} is lower than the running ${current.version}; still running ${current.version}`],
    },
  });
}

/**
 * The check a bootloader makes of a whole slot before switching to it: ESP-IDF's XOR checksum and
 * appended SHA-256; MCUboot's SHA256 TLV and, when it is built with a key, the signature. Returns
 * what it would print on failure.
 */
export function checkSlotImage(bytes: Buffer, slotName: string, key: VerifyingKey | undefined): string | undefined {
  try {
    const info = inspectImage(bytes, slotName);
    if (info.format === 'esp-idf' && (!info.checksum.ok || info.sha256?.ok === false)) return 'Image validation failed, image is corrupted';
    if (info.format === 'mcuboot' && info.sha256?.ok === false) return 'Image in the secondary slot is not valid!';
    if (info.format === 'mcuboot' && key) {
      const check = verifyMcubootSignature(bytes, info, key, slotName);
      if (!check.ok) return `Image in the secondary slot is not valid! (${check.detail})`;
    }
    return undefined;
  } catch (err) {
    return `Image validation failed, image is corrupted (${describeError(err)})`;
  }
}

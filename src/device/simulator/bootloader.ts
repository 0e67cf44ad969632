import { compareMcubootVersions } from '../../core/image/mcubootVersion';
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

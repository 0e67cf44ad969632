import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { writeFileAtomically } from '../../core/files/atomicOutput';
import { embeddedVersionHeaderBytes, readEmbeddedVersion } from './embeddedVersion';
import type { EmbeddedVersion } from './embeddedVersion';

export type SlotIndex = 0 | 1;

/**
 * What the bootloader keeps between resets (ESP-IDF's otadata, MCUboot's image trailer): which slot
 * boots, whether it still has to prove itself, and which update put it there.
 */
export interface BootRecord {
  active: SlotIndex;
  /** The active slot runs for the first time and rolls back unless confirmed (ESP-IDF PENDING_VERIFY, MCUboot test swap). */
  pendingVerify: boolean;
  /** The update that installed the active slot, so its outcome is reported after the reboot. */
  actionId?: string;
  /** The label the server gave that release, to report alongside what really runs. */
  offeredLabel?: string;
  /** The last update's outcome waiting to be reported once the device is online again. */
  unreported?: { actionId: string; success: boolean; details: string[] };
}

/**
 * Two image slots and a boot record as files in a directory: the device's flash. Everything the
 * device "knows" after a power cut is here; everything else (download progress in RAM) is lost.
 */
export class FlashSlots {
  private constructor(
    readonly dir: string,
    private record: BootRecord,
  ) {}

  /** Opens the flash in `dir`, writing `factoryImage` into slot 0 the first time. */
  static async open(dir: string, factoryImage: Buffer): Promise<FlashSlots> {
    await fs.mkdir(dir, { recursive: true });
    const recordFile = path.join(dir, 'otadata.json');
    try {
      const record = JSON.parse(await fs.readFile(recordFile, 'utf8')) as BootRecord;
      return new FlashSlots(dir, record);
    } catch {
      await fs.writeFile(path.join(dir, 'slot0.bin'), factoryImage);
      await fs.writeFile(path.join(dir, 'slot1.bin'), Buffer.alloc(0));
      const slots = new FlashSlots(dir, { active: 0, pendingVerify: false });
      await slots.save();
      return slots;
    }
  }

  get boot(): Readonly<BootRecord> {
    return this.record;
  }

  get inactive(): SlotIndex {
    return this.record.active === 0 ? 1 : 0;
  }

  slotFile(slot: SlotIndex): string {
    return path.join(this.dir, `slot${slot}.bin`);
  }

  /** Erases the inactive slot and opens it for the download to write into. */
  async eraseInactive(): Promise<FileHandle> {
    return fs.open(this.slotFile(this.inactive), 'w');
  }

  async openInactiveForResume(): Promise<FileHandle> {
    return fs.open(this.slotFile(this.inactive), 'r+');
  }

  async versionOf(slot: SlotIndex): Promise<EmbeddedVersion> {
    const handle = await fs.open(this.slotFile(slot), 'r');
    try {
      const head = Buffer.alloc(embeddedVersionHeaderBytes);
      const { bytesRead } = await handle.read(head, 0, head.length, 0);
      return readEmbeddedVersion(head.subarray(0, bytesRead));
    } finally {
      await handle.close();
    }
  }

  /** Changes the record; a field set to undefined is removed. */
  async update(change: Partial<BootRecord>): Promise<void> {
    const next: BootRecord = { ...this.record, ...change };
    for (const key of Object.keys(next) as (keyof BootRecord)[]) if (next[key] === undefined) delete next[key];
    this.record = next;
    await this.save();
  }

  /** Written temp → rename, as a bootloader writes its two otadata copies: never half a record. */
  private async save(): Promise<void> {
    const file = path.join(this.dir, 'otadata.json');
    await writeFileAtomically(file, JSON.stringify(this.record));
  }
}

import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { OtaError, describeError } from '../../core/errors';
import { loadVerifyingKey } from '../../core/signing/loadKey';
import type { VerifyingKey } from '../../core/signing/loadKey';
import type { ReleaseManifest } from '../../core/release/manifest';
import type { DdiArtifact, DdiChunk, DdiDeploymentBase, DdiFeedback } from '../../core/protocol/ddi';
import { defaultTenant, parsePollingSleep } from '../../core/protocol/ddi';
import { arduinoCycle } from './arduinoUpdate';
import type { ArduinoHost } from './arduinoUpdate';
import { printBoot } from './bootBanner';
import { checkSlotImage, preventDowngrade } from './bootloader';
import { DdiClient } from './ddiClient';
import { DeviceConsole } from './deviceConsole';
import { embeddedVersionHeaderBytes } from './embeddedVersion';
import type { EmbeddedVersion } from './embeddedVersion';
import type { Fault } from './faults';
import { describeFault, resolveMark } from './faults';
import { FaultPlan } from './faultPlan';
import type { ByteFault } from './faultPlan';
import { FlashSlots } from './flashSlots';
import type { SlotIndex } from './flashSlots';
import { artifactPromise, manifestUrl, verifyImageFile } from './imageVerifier';
import { NetworkDown, SimNetwork, sleep } from './simNetwork';
import { buildSyntheticEspImage } from './syntheticImage';
import type { SimDeviceOptions, SimDeviceStats, SimPhase } from './simDeviceTypes';
import { zephyrConfigData, zephyrRefusal, zephyrTenant } from './zephyrDialect';

/** Thrown inside the device to model a power cut: everything in RAM is gone. */
class PowerLoss extends Error {
  constructor(readonly during: string) {
    super(`power lost ${during}`);
  }
}

/** The download in RAM: lost on power loss, kept across network drops. */
interface DownloadState {
  actionId: string;
  sha256: string;
  size: number;
  url: string;
  offset: number;
}

const tag = 'ota_sim';
/** The console reports download progress every this many bytes. */
const progressStep = 64 * 1024;

/**
 * One simulated device: a real OTA client speaking hawkBit DDI over HTTP to an OTA server, with
 * flash slots on disk, a bootloader that picks and reverts slots, and an ESP-IDF-style console.
 */
export class SimulatedDevice {
  readonly console = new DeviceConsole();
  readonly stats: SimDeviceStats = { bytesReceived: 0, rangeRequests: 0, downloadsStarted: 0, resumes: 0, drops: 0, powerLosses: 0, installs: 0, rollbacks: 0, feedback: [] };
  private readonly net: SimNetwork;
  private readonly ddi: DdiClient;
  private readonly faults: FaultPlan;
  private slots!: FlashSlots;
  private running: EmbeddedVersion = { format: 'unknown', version: undefined };
  private reportedAttributes = '';
  private download: DownloadState | undefined;
  private pollMs = 1000;
  private currentPhase: SimPhase = 'booting';
  private readonly bootloaderKey: VerifyingKey | undefined;

  constructor(readonly options: SimDeviceOptions) {
    this.faults = new FaultPlan(options.faults);
    const bandwidth = this.faults.bandwidth();
    this.net = new SimNetwork({ ...(bandwidth ? { bytesPerSecond: bandwidth } : {}), ...(options.caPem ? { caPem: options.caPem } : {}) });
    // A bad key is the user's mistake, reported now rather than as a "corrupt image" later.
    this.bootloaderKey = options.bootloaderKeyPem ? loadVerifyingKey({ label: 'of the bootloader', pem: options.bootloaderKeyPem }) : undefined;
    this.ddi = new DdiClient(this.net, options.server, options.tenant ?? (this.zephyr ? zephyrTenant : defaultTenant), options.id, options.token);
  }

  get id(): string {
    return this.options.id;
  }

  private get zephyr(): boolean {
    return this.options.hawkbitClient === 'zephyr';
  }

  /** The version the running image carries (what the device reports). */
  get runningVersion(): string {
    return this.running.version ?? this.options.version ?? '1.0.0';
  }

  /** 'offline' while the network is down outside an install (a drop, not a reboot). */
  get phase(): SimPhase {
    if (this.net.isDown && (this.currentPhase === 'idle' || this.currentPhase === 'downloading')) return 'offline';
    return this.currentPhase;
  }

  get activeSlot(): SlotIndex {
    return this.slots.boot.active;
  }

  /**
   * Adds a fault while the device runs (a demo's "pull the plug now"): byte marks apply to the
   * next download, a bandwidth cap at once.
   */
  injectFault(fault: Fault): void {
    if (fault.kind === 'bandwidth') this.net.setBandwidth(fault.bytesPerSecond);
    else this.faults.add(fault);
  }

  /**
   * Takes away every fault still pending and lifts a bandwidth cap (the cause of a failing update
   * was fixed): a staged rollout paused by this device's failures can then resume.
   */
  clearFaults(): void {
    this.faults.clear();
    this.net.setBandwidth(undefined);
  }

  /** Makes the network vanish for `ms` right now (a manual drop). */
  dropNetwork(ms: number): void {
    this.stats.drops++;
    this.console.warn('wifi', 'disconnected, reason: 201 (NO_AP_FOUND)');
    this.console.warn(tag, `network down for ${ms / 1000} s`);
    this.net.down(ms);
  }

  /** Runs until `signal` aborts: boot, then poll, download, install, reboot, report, forever. */
  async run(signal: AbortSignal): Promise<void> {
    const factory = this.options.factoryImage ?? buildSyntheticEspImage({ version: this.options.version ?? '1.0.0', size: 32 * 1024 });
    this.slots = await FlashSlots.open(this.options.dir, factory);
    try {
      await this.powerOn('power-on', signal);
      while (!signal.aborted) {
        try {
          await this.net.waitUntilUp(signal);
          if (this.options.protocol === 'arduino') await arduinoCycle(this.arduinoHost(), signal);
          else await this.cycle(signal);
          await sleep(this.options.pollIntervalMs ?? this.pollMs, signal);
        } catch (err) {
          if (signal.aborted) break;
          if (err instanceof PowerLoss) {
            await this.powerCycle(err, signal);
          } else if (err instanceof NetworkDown) {
            this.console.warn(tag, 'server unreachable: network down');
          } else {
            this.console.error(tag, `error: ${describeError(err)}`);
            await sleep(this.options.retryMs ?? 1000, signal);
          }
        }
      }
    } catch (err) {
      if (!signal.aborted) throw err;
    } finally {
      this.net.down(Infinity);
      this.currentPhase = 'stopped';
    }
  }

  /** One poll: report what is pending, send attributes when they changed, act on the server's links. */
  private async cycle(signal: AbortSignal): Promise<void> {
    this.console.info(tag, `polling ${this.options.server}`);
    const base = await this.ddi.poll(signal);
    const sleepSec = parsePollingSleep(base.config?.polling?.sleep ?? '');
    if (sleepSec !== undefined) this.pollMs = Math.max(200, sleepSec * 1000);
    await this.reportAttributes(base._links.configData !== undefined, signal);
    // The links above predate the outcome just reported; act on the next poll's, not on stale ones.
    if (await this.reportPendingOutcome(signal)) return;
    if (base._links.cancelAction) {
      const actionId = /cancelAction\/([^/?]+)/.exec(base._links.cancelAction.href)?.[1] ?? '';
      this.console.warn(tag, `update ${actionId} cancelled by the server`);
      this.download = undefined;
      await this.ddi.acknowledgeCancel(decodeURIComponent(actionId), signal);
      return;
    }
    if (!base._links.deploymentBase) {
      // Whatever was half downloaded belonged to an action the server no longer offers.
      if (this.download) this.console.warn(tag, `action ${this.download.actionId} is no longer offered: discarding ${this.download.offset} downloaded bytes`);
      this.download = undefined;
      this.currentPhase = 'idle';
      this.console.info(tag, 'no update offered');
      return;
    }
    const deployment = await this.ddi.deploymentBase(base._links.deploymentBase.href, signal);
    const refused = this.zephyr ? zephyrRefusal(deployment) : undefined;
    if (refused) {
      // Zephyr logs and gives up on this poll; the server hears nothing until the next one.
      this.console.error('hawkbit', refused);
      this.console.error('hawkbit', 'Failed to parse deploymentBase');
      return;
    }
    await this.update(deployment, signal);
  }

  private async reportAttributes(asked: boolean, signal: AbortSignal): Promise<void> {
    const wrongKey = this.faults.has('wrong-key');
    const wrongChannel = this.faults.has('wrong-channel');
    const data = {
      fw_key: wrongKey ? `${this.options.fwKey}-wrong` : this.options.fwKey,
      channel: wrongChannel ? `${this.options.channel}-wrong` : this.options.channel,
      pid: this.options.pid,
      version: this.runningVersion,
      slot: `ota_${this.slots.boot.active}`,
    };
    const text = JSON.stringify(data);
    if (this.zephyr) {
      // Only when asked, and what Zephyr itself sends first.
      if (!asked) return;
      await this.ddi.putConfigData(zephyrConfigData(this.id, data), signal);
      this.reportedAttributes = text;
      return;
    }
    if (!asked && text === this.reportedAttributes) return;
    this.console.info(tag, `reporting fw_key=${data.fw_key} channel=${data.channel} pid=${data.pid} version=${data.version}`);
    await this.ddi.putConfigData(data, signal);
    this.reportedAttributes = text;
  }

  private async reportPendingOutcome(signal: AbortSignal): Promise<boolean> {
    const pending = this.slots.boot.unreported;
    if (!pending) return false;
    await this.sendFeedback(pending.actionId, 'closed', pending.success ? 'success' : 'failure', pending.details, signal, true);
    await this.slots.update({ unreported: undefined });
    return true;
  }

  private async sendFeedback(actionId: string, execution: DdiFeedback['status']['execution'], finished: DdiFeedback['status']['result']['finished'], details: string[], signal: AbortSignal, final = false, progress?: { cnt: number; of: number }): Promise<void> {
    if (this.zephyr && execution !== 'closed') return; // Zephyr reports only the end of an action.
    const fb: DdiFeedback = { status: { execution, result: { finished, ...(progress ? { progress } : {}) }, details } };
    this.console.info(tag, `feedback ${execution}/${finished} for action ${actionId}: ${details.join('; ')}`);
    const answer = await this.ddi.feedback(actionId, fb, signal);
    this.stats.feedback.push(`${actionId} ${execution}/${finished}: ${details.join('; ')}`);
    // A device that runs for days in a fleet keeps only its recent history.
    if (this.stats.feedback.length > 50) this.stats.feedback.splice(0, this.stats.feedback.length - 50);
    if (answer.status === 410 || answer.status === 404) {
      // The server closed the action already (e.g. it timed out while we were away): nothing to retry.
      this.console.warn(tag, `action ${actionId} is closed on the server (${answer.status}); dropping it`);
      if (!final) throw new OtaError(`action ${actionId} is no longer open on the server`);
      return;
    }
    if (answer.status >= 400) throw new OtaError(`feedback for action ${actionId} answered ${answer.status}: ${answer.body.toString('utf8').slice(0, 200)}`);
  }

  /**
   * The release's signed manifest, named in the chunk metadata; undefined when the
   * chunk has none or it does not parse (the verifier then refuses: this device wants a signature).
   */
  private async fetchManifest(chunk: DdiChunk, image: DdiArtifact, signal: AbortSignal): Promise<ReleaseManifest | undefined> {
    const url = manifestUrl(chunk, image);
    if (!url) return undefined;
    const answer = await this.net.request('GET', url, undefined, signal, this.ddi.headers());
    if (answer.status !== 200) {
      this.console.warn(tag, `manifest of ${image.filename}: the server answered ${answer.status}`);
      return undefined;
    }
    try {
      return JSON.parse(answer.body.toString('utf8')) as ReleaseManifest;
    } catch {
      this.console.warn(tag, `manifest of ${image.filename} is not JSON`);
      return undefined;
    }
  }

  /** Downloads, verifies and installs one deployment; reboots into it. */
  private async update(deployment: DdiDeploymentBase, signal: AbortSignal): Promise<void> {
    const actionId = deployment.id;
    const chunk = deployment.deployment.chunks[0];
    const artifact = chunk?.artifacts[0];
    const url = artifact?._links['download-http']?.href ?? artifact?._links.download?.href;
    if (!chunk || !artifact || !url) {
      await this.sendFeedback(actionId, 'closed', 'failure', ['deployment has no artifact to download'], signal, true);
      return;
    }
    if (deployment.deployment.download === 'skip') {
      // hawkBit's "not now" (e.g. outside a maintenance window): ask again on the next poll.
      this.console.info(tag, `action ${actionId}: download is skipped for now`);
      return;
    }
    if (this.slots.boot.actionId === actionId && !this.slots.boot.pendingVerify) {
      // Installed already; the outcome report was lost. Say it again.
      await this.sendFeedback(actionId, 'closed', 'success', [`already running ${this.runningVersion} from action ${actionId}`], signal, true);
      return;
    }
    const sha256 = artifact.hashes.sha256;
    const resuming = this.download?.actionId === actionId && this.download.sha256 === sha256;
    // Feedback first, then the slot: a failed report must not leave a file handle behind.
    let handle: FileHandle;
    if (resuming) {
      this.stats.resumes++;
      this.console.info(tag, `resuming at byte ${this.download!.offset} of ${artifact.size}`);
      await this.sendFeedback(actionId, 'resumed', 'none', [`resuming at byte ${this.download!.offset}`], signal);
      handle = await this.slots.openInactiveForResume();
    } else {
      this.stats.downloadsStarted++;
      this.download = undefined;
      this.console.info(tag, `update offered: action ${actionId} version ${chunk.version} size ${artifact.size}`);
      this.console.info('esp_https_ota', `Writing to <ota_${this.slots.inactive}> partition at offset ${slotOffset(this.slots.inactive)}`);
      await this.sendFeedback(actionId, 'download', 'none', [`downloading ${artifact.filename} (${artifact.size} bytes) into ota_${this.slots.inactive}`], signal);
      handle = await this.slots.eraseInactive();
      // Only an erased slot can be resumed into.
      this.download = { actionId, sha256, size: artifact.size, url, offset: 0 };
    }
    this.currentPhase = 'downloading';
    let refusal: string | undefined;
    try {
      refusal = await this.fetchImage(this.download!, handle, signal);
    } finally {
      await handle.close();
    }
    this.currentPhase = 'verifying';
    if (refusal) {
      this.console.warn(tag, `refusing image: ${refusal}`);
      // hawkBit's word for "the device will not take this": rejected, not a failed attempt.
      await this.abandon(actionId, [`refused: ${refusal}`], signal, 'rejected');
      return;
    }
    const manifest = this.options.publicKeyPem ? await this.fetchManifest(chunk, artifact, signal) : undefined;
    const verified = await verifyImageFile(this.slots.slotFile(this.slots.inactive), artifactPromise(chunk, artifact.size, artifact.hashes, manifest), {
      ...(this.options.secret ? { secret: this.options.secret } : {}),
      ...(this.options.publicKeyPem ? { publicKeyPem: this.options.publicKeyPem } : {}),
    });
    if (!verified.ok) {
      this.console.error(tag, `${verified.failure}`);
      this.console.error('esp_image', 'Image hash failed - image is corrupt');
      await this.abandon(actionId, [`${verified.failure}; nothing installed, still running ${this.runningVersion}`], signal);
      return;
    }
    this.console.info(tag, `${verified.checked.join(', ')} ok`);
    if (deployment.deployment.update === 'skip') {
      // A download-only assignment: the image waits in the inactive slot; nothing is installed.
      this.download = undefined;
      this.currentPhase = 'idle';
      await this.sendFeedback(actionId, 'closed', 'success', [`downloaded and verified (${verified.checked.join(', ')}); not installed (update: skip)`], signal, true);
      return;
    }
    await this.sendFeedback(actionId, 'downloaded', 'none', [`verified ${verified.checked.join(', ')}`], signal, false, { cnt: 1, of: 2 });
    await this.sendFeedback(actionId, 'proceeding', 'none', ['installing, rebooting'], signal);
    this.download = undefined;
    await this.install(actionId, chunk.version, signal);
  }

  /**
   * Range requests of `chunkBytes` until the whole image is in the slot; faults fire at their byte.
   * Like esp_https_ota's get_img_desc step, the device's own checks run as soon as the image header
   * is in, and a refusal stops the download there (returned as the reason).
   */
  private async fetchImage(dl: DownloadState, handle: FileHandle, signal: AbortSignal): Promise<string | undefined> {
    let headChecked = false;
    const chunkBytes = this.options.chunkBytes ?? 16 * 1024;
    while (dl.offset < dl.size) {
      const end = Math.min(dl.offset + chunkBytes, dl.size) - 1;
      this.stats.rangeRequests++;
      let position = dl.offset;
      const answer = await this.net.download(dl.url, signal, { Range: `bytes=${dl.offset}-${end}`, ...this.ddi.headers() }, async (bytes) => {
        position = await this.writeReceived(bytes, position, dl.size, handle, (at) => (dl.offset = at), (at) => this.console.info(tag, `downloaded ${at}/${dl.size} bytes`));
        dl.offset = position;
      });
      if (answer.status === 200 || answer.status === 416) {
        // A server that ignores Range (200) or forgot the image (416): start over, as esp_https_ota does.
        this.console.warn(tag, `server answered ${answer.status} to a Range request: restarting from byte 0`);
        dl.offset = answer.status === 200 && position >= dl.size ? dl.size : 0;
        if (dl.offset === 0) await handle.truncate(0);
        continue;
      }
      if (answer.status !== 206) throw new OtaError(`download of ${dl.url} answered ${answer.status}`);
      const range = /bytes (\d+)-(\d+)\/(\d+)/.exec(String(answer.headers['content-range'] ?? ''));
      if (!range || Number(range[3]) !== dl.size) throw new OtaError(`download of ${dl.url}: bad Content-Range "${answer.headers['content-range']}" for a ${dl.size}-byte image`);
      if (!headChecked && (dl.offset >= embeddedVersionHeaderBytes || dl.offset >= dl.size)) {
        headChecked = true;
        const refusal = await this.refusal();
        if (refusal) return refusal;
      }
    }
    this.console.info(tag, `downloaded ${dl.offset}/${dl.size} bytes`);
    return undefined;
  }

  /** What the Arduino HTTPUpdate client needs from the device: its flash, link, console and install step. */
  private arduinoHost(): ArduinoHost {
    return {
      options: this.options,
      console: this.console,
      net: this.net,
      slots: this.slots,
      stats: this.stats,
      runningVersion: this.runningVersion,
      reportsWrongKey: this.faults.has('wrong-key'),
      reportsWrongChannel: this.faults.has('wrong-channel'),
      setPhase: (phase) => (this.currentPhase = phase),
      writeReceived: (bytes, position, size, handle, onWritten, onProgress) => this.writeReceived(bytes, position, size, handle, onWritten, onProgress),
      install: (label, signal) => this.install('arduino', label, signal, false),
    };
  }

  /**
   * Writes received bytes at `position`, applying the faults that sit in them: a flipped byte is
   * written flipped; at a drop or power-loss mark the bytes before it are written, then the link
   * (or the power) goes. Returns the new position.
   */
  private async writeReceived(bytes: Buffer, position: number, size: number, handle: FileHandle, onWritten: (position: number) => void, onProgress: (position: number) => void): Promise<number> {
    const data = Buffer.from(bytes);
    this.stats.bytesReceived += data.length;
    let take = data.length;
    const fault = this.faults.byteFaultIn(position, position + data.length, size);
    if (fault?.kind === 'flip') {
      const at = resolveMark(fault.at, size) - position;
      data[at] = data[at]! ^ 0xff;
      this.faults.consume(fault);
    } else if (fault) take = resolveMark(fault.at, size) - position;
    let next = position;
    if (take > 0) {
      await handle.write(data, 0, take, position);
      next = position + take;
      onWritten(next);
      if (Math.floor(position / progressStep) < Math.floor(next / progressStep)) onProgress(next);
    }
    if (fault && fault.kind !== 'flip') this.fire(fault, next);
    return next;
  }

  private fire(fault: ByteFault, position: number): never {
    this.faults.consume(fault);
    if (fault.kind === 'power-loss') throw new PowerLoss(`at byte ${position} of the download`);
    if (fault.kind !== 'drop') throw new OtaError(`fault ${describeFault(fault)} cannot cut a download`);
    this.stats.drops++;
    this.console.warn(tag, `network down for ${fault.seconds} s at byte ${position}`);
    this.net.down(fault.seconds * 1000);
    throw new NetworkDown();
  }

  /** What the device's own OTA code refuses before installing (ESP-IDF examples, anti-rollback). */
  private async refusal(): Promise<string | undefined> {
    if (this.options.behaviour !== 'esp-idf') return undefined;
    const incoming = await this.slots.versionOf(this.slots.inactive);
    if (incoming.format !== 'esp-idf' || this.running.format !== 'esp-idf') return undefined;
    if (incoming.version === this.running.version) {
      this.console.warn(tag, 'Current running version is the same as a new. We will not continue the update.');
      return `the image's embedded version ${incoming.version} equals the running one (ESP-IDF refuses it; re-stamp the version)`;
    }
    if (incoming.secureVersion < this.running.secureVersion) {
      return `secure_version ${incoming.secureVersion} is lower than the running ${this.running.secureVersion} (anti-rollback)`;
    }
    return undefined;
  }

  private async abandon(actionId: string, details: string[], signal: AbortSignal, execution: 'closed' | 'rejected' = 'closed'): Promise<void> {
    this.download = undefined;
    this.currentPhase = 'idle';
    await fs.truncate(this.slots.slotFile(this.slots.inactive), 0);
    await this.sendFeedback(actionId, execution, 'failure', details, signal, true);
  }

  /** The device goes offline: validate the slot, switch the boot record, reboot. */
  private async install(actionId: string, label: string, signal: AbortSignal, pendingVerify = true): Promise<void> {
    const ddi = this.options.protocol !== 'arduino';
    this.net.down(Infinity);
    this.currentPhase = 'installing';
    const target = this.slots.inactive;
    this.console.info('esp_ota_ops', `Validating image in ota_${target}`);
    const powerLoss = this.faults.takeInstallPowerLoss();
    await sleep(this.options.installMs ?? 300, signal);
    if (powerLoss) {
      // The cut lands mid-write: the slot is half erased and the boot record still names the old slot.
      const file = this.slots.slotFile(target);
      const { size } = await fs.stat(file);
      await fs.truncate(file, Math.floor(size / 2));
      if (ddi) await this.slots.update({ unreported: { actionId, success: false, details: [`power lost during install; booted the previous image ${this.runningVersion} from ota_${this.slots.boot.active}`] } });
      throw new PowerLoss('during install');
    }
    const problem = await this.validateSlot(target);
    if (problem) {
      this.console.error('esp_image', problem);
      await fs.truncate(this.slots.slotFile(target), 0);
      this.net.up();
      this.currentPhase = 'idle';
      if (ddi) await this.sendFeedback(actionId, 'closed', 'failure', [`${problem}; nothing installed`], signal, true);
      return;
    }
    this.stats.installs++;
    await this.slots.update({ active: target, pendingVerify, actionId, offeredLabel: label });
    this.console.info(tag, 'Prepare to restart system!');
    this.currentPhase = 'rebooting';
    await sleep(this.options.rebootMs ?? 500, signal);
    await this.powerOn('software', signal);
  }

  /** The bootloader's check of a whole slot before it switches to it. */
  private async validateSlot(slot: SlotIndex): Promise<string | undefined> {
    return checkSlotImage(await fs.readFile(this.slots.slotFile(slot)), `ota_${slot}`, this.bootloaderKey);
  }

  /** Reset: bootloader picks a slot (reverting an unconfirmed one), the app boots and self-tests. */
  private async powerOn(reason: 'power-on' | 'software', signal: AbortSignal): Promise<void> {
    this.currentPhase = 'booting';
    const boot = this.slots.boot;
    if (boot.pendingVerify && this.options.behaviour === 'mcuboot') await preventDowngrade(this.slots, this.console);
    const active = this.slots.boot.active;
    this.running = await this.slots.versionOf(active);
    printBoot(this.console, reason, slotOffset(active), this.running, this.options.version ?? '1.0.0');
    if (this.slots.boot.pendingVerify) await this.selfTest(signal);
    this.net.up();
    this.currentPhase = 'idle';
  }

  private async selfTest(signal: AbortSignal): Promise<void> {
    const boot = this.slots.boot;
    this.currentPhase = 'self-test';
    const fault = this.faults.takeSelfTest();
    await sleep(fault?.ms ?? this.options.selfTestMs ?? 200, signal);
    const label = boot.offeredLabel ?? '?';
    if (fault?.fail) {
      this.stats.rollbacks++;
      this.currentPhase = 'rebooting';
      const failedVersion = this.runningVersion;
      this.console.error('native_ota_example', 'Diagnostics failed! Start rollback to the previous version ...');
      const back: SlotIndex = boot.active === 0 ? 1 : 0;
      await this.slots.update({ active: back, pendingVerify: false });
      const restored = await this.slots.versionOf(back);
      await this.slots.update({ unreported: { actionId: boot.actionId ?? '', success: false, details: [`self-test failed on ${failedVersion} (offered as ${label}); rolled back to ${restored.version ?? '?'}`] } });
      await sleep(this.options.rebootMs ?? 500, signal);
      await this.powerOn('software', signal);
      return;
    }
    this.console.info('native_ota_example', 'Diagnostics completed successfully! Continuing execution ...');
    const note = this.runningVersion === label ? `running ${this.runningVersion}` : `running embedded version ${this.runningVersion}; the release was labelled ${label}`;
    await this.slots.update({ pendingVerify: false, unreported: { actionId: boot.actionId ?? '', success: true, details: [note] } });
  }

  private async powerCycle(loss: PowerLoss, signal: AbortSignal): Promise<void> {
    this.stats.powerLosses++;
    this.console.error(tag, `power lost ${loss.during}`);
    this.net.down(Infinity);
    this.currentPhase = 'rebooting';
    this.download = undefined; // RAM is gone
    await sleep(this.options.rebootMs ?? 500, signal);
    await this.powerOn('power-on', signal);
  }
}

function slotOffset(slot: SlotIndex): string {
  return slot === 0 ? '0x10000' : '0x190000';
}

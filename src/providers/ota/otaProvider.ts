import { OtaError } from '../../core/errors';
import type { StatusReport } from '../../core/protocol/management';
import type { DeployRequest, DeployResult, OperationOptions, PublishedRelease, PublishRequest, PushProvider } from '../provider';
import type { ClientOptions } from './managementClient';
import { ManagementClient } from './managementClient';
import { OtaRollouts } from './otaRollouts';

/**
 * Our own server, local or remote (HTTPS with its CA), behind the provider interface. Releases,
 * deployments and staged rollouts map one to one.
 */
export class OtaProvider implements PushProvider {
  readonly kind = 'ota' as const;
  readonly client: ManagementClient;
  readonly rollouts: OtaRollouts;

  constructor(
    readonly name: string,
    url: string,
    token: string,
    options: ClientOptions = {},
  ) {
    this.client = new ManagementClient(url, token, options);
    this.rollouts = new OtaRollouts(this.client, name);
  }

  async publish(request: PublishRequest, options: OperationOptions = {}): Promise<PublishedRelease> {
    const release = await this.client.pushFile(
      request.file,
      {
        pid: request.pid,
        fwKey: request.fwKey,
        channel: request.channel,
        label: request.label,
        ...(request.filename ? { filename: request.filename } : {}),
        ...(request.signedManifest ? { signedManifest: request.signedManifest.toString('base64') } : {}),
        ...(request.part ? { part: request.part } : {}),
      },
      { ...(options.signal ? { signal: options.signal } : {}), ...(options.onProgress ? { onProgress: options.onProgress } : {}) },
    );
    return {
      id: release.id,
      label: release.label,
      filename: release.filename,
      size: release.size,
      sha256: release.sha256,
      part: release.part,
      md5: release.md5,
      sha1: release.sha1,
      notes: [`release ${release.id}: ${release.filename} ${release.label} for PID ${release.pid}, key ${release.fwKey}, channel ${release.channel}`],
    };
  }

  async deploy(request: DeployRequest, signal?: AbortSignal): Promise<DeployResult> {
    if (request.type !== 'soft' && request.type !== 'forced') {
      throw new OtaError(`an OTA Workbench server deploys soft or forced only, not ${request.type}`, {
        where: this.name,
        hint: 'download-only, time-forced and maintenance windows are hawkBit features: deploy through a hawkBit server, or use --forced / soft',
      });
    }
    if (request.maintenanceWindow) throw new OtaError('an OTA Workbench server has no maintenance windows', { where: this.name, hint: 'drop the maintenance window, or deploy through a hawkBit server' });
    // Keys bound to the PID besides the channel's own reach devices shipped with an old key.
    const extraKeys = (request.boundKeys ?? []).filter((k) => k !== request.fwKey);
    if (extraKeys.length) await this.client.bindKeys(request.pid, [request.fwKey, ...extraKeys], signal);
    const deployment = await this.client.deploy(
      { releaseId: request.releaseId, pid: request.pid, fwKey: request.fwKey, channel: request.channel, type: request.type, ...(request.devices?.length ? { devices: request.devices } : {}) },
      signal,
    );
    const who = deployment.devices === 'all' ? 'every device that reports a matching PID, key and channel' : deployment.devices.join(', ');
    return {
      id: deployment.id,
      devices: deployment.devices === 'all' ? [] : deployment.devices,
      alreadyAssigned: 0,
      notes: [`deployment ${deployment.id}: PID ${deployment.pid}, key ${deployment.fwKey}, channel ${deployment.channel}, ${who} (${deployment.type})`],
    };
  }

  status(signal?: AbortSignal): Promise<StatusReport> {
    return this.client.status(signal);
  }
}

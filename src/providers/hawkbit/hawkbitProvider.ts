import type { StatusReport } from '../../core/protocol/management';
import type { DeployRequest, DeployResult, OperationOptions, PublishedRelease, PublishRequest, PushProvider } from '../provider';
import type { ApiGeneration } from './generation';
import { detectGeneration } from './generation';
import { deployOnHawkbit } from './hawkbitDeploy';
import type { HawkbitConnection, RetryPolicy } from './hawkbitHttp';
import { defaultRetryPolicy, HawkbitHttp } from './hawkbitHttp';
import { publishToHawkbit } from './hawkbitPublish';
import { HawkbitRollouts } from './hawkbitRollouts';
import { hawkbitStatus } from './hawkbitStatus';

export interface HawkbitSettings {
  /** Software module type key for images (`os`, hawkBit's default, when absent). */
  softwareModuleType?: string;
  /** Distribution set type key (`os_app`, hawkBit's default, when absent). */
  distributionSetType?: string;
  /** PIDs and their bound keys from the workspace config: status computes why-not with them. */
  products?: readonly { pid: string; keys: string[] }[];
  retry?: RetryPolicy;
}

/** Eclipse hawkBit through its Management API, behind the provider interface. */
export class HawkbitProvider implements PushProvider {
  readonly kind = 'hawkbit' as const;
  readonly name: string;
  readonly http: HawkbitHttp;
  readonly rollouts: HawkbitRollouts;
  private generationSeen: Promise<ApiGeneration> | undefined;

  constructor(
    connection: HawkbitConnection,
    private readonly settings: HawkbitSettings = {},
  ) {
    this.name = connection.name;
    this.http = new HawkbitHttp(connection, settings.retry ?? defaultRetryPolicy);
    this.rollouts = new HawkbitRollouts(this.http);
  }

  /** The API generation, asked once per provider (§5). */
  generation(signal?: AbortSignal): Promise<ApiGeneration> {
    this.generationSeen ??= detectGeneration(this.http, signal).catch((err: unknown) => {
      this.generationSeen = undefined;
      throw err;
    });
    return this.generationSeen;
  }

  publish(request: PublishRequest, options: OperationOptions = {}): Promise<PublishedRelease> {
    return publishToHawkbit(this.http, { softwareModule: this.settings.softwareModuleType ?? 'os', distributionSet: this.settings.distributionSetType ?? 'os_app' }, request, options);
  }

  deploy(request: DeployRequest, signal?: AbortSignal): Promise<DeployResult> {
    return deployOnHawkbit(this.http, request, signal);
  }

  async status(signal?: AbortSignal): Promise<StatusReport> {
    return hawkbitStatus(this.http, await this.generation(signal), this.settings.products ?? [], signal);
  }
}

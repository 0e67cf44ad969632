import { OtaError } from '../../core/errors';
import type { DdiBase, DdiDeploymentBase, DdiFeedback } from '../../core/protocol/ddi';
import { ddiPaths } from '../../core/protocol/ddi';
import type { HttpAnswer, SimNetwork } from './simNetwork';

/** The device side of hawkBit DDI: the calls a Zephyr or SWUpdate client makes, nothing more. */
export class DdiClient {
  constructor(
    private readonly net: SimNetwork,
    private readonly server: string,
    private readonly tenant: string,
    private readonly controllerId: string,
    private readonly token?: string,
  ) {}

  async poll(signal: AbortSignal): Promise<DdiBase> {
    return this.json<DdiBase>('GET', this.url(ddiPaths.base(this.tenant, this.controllerId)), undefined, signal);
  }

  async putConfigData(data: Record<string, string>, signal: AbortSignal): Promise<void> {
    await this.call('PUT', this.url(ddiPaths.configData(this.tenant, this.controllerId)), { mode: 'merge', data }, signal);
  }

  async deploymentBase(href: string, signal: AbortSignal): Promise<DdiDeploymentBase> {
    return this.json<DdiDeploymentBase>('GET', href, undefined, signal);
  }

  async feedback(actionId: string, feedback: DdiFeedback, signal: AbortSignal): Promise<HttpAnswer> {
    return this.net.request('POST', this.url(ddiPaths.feedback(this.tenant, this.controllerId, actionId)), { id: actionId, ...feedback }, signal, this.headers());
  }

  async acknowledgeCancel(actionId: string, signal: AbortSignal): Promise<void> {
    await this.call('GET', this.url(ddiPaths.cancelAction(this.tenant, this.controllerId, actionId)), undefined, signal);
    const ack: DdiFeedback = { status: { execution: 'closed', result: { finished: 'success' }, details: ['download stopped, partial image erased'] } };
    await this.call('POST', this.url(ddiPaths.cancelFeedback(this.tenant, this.controllerId, actionId)), { id: actionId, ...ack }, signal);
  }

  headers(): Record<string, string> {
    return this.token ? { Authorization: `TargetToken ${this.token}` } : {};
  }

  private url(path: string): string {
    return new URL(path, this.server).toString();
  }

  private async call(method: string, url: string, body: unknown, signal: AbortSignal): Promise<HttpAnswer> {
    const answer = await this.net.request(method, url, body, signal, { Accept: 'application/hal+json', ...this.headers() });
    if (answer.status < 200 || answer.status >= 300) {
      throw new OtaError(`${method} ${new URL(url).pathname} answered ${answer.status}: ${answer.body.toString('utf8').slice(0, 300)}`, { code: `http-${answer.status}` });
    }
    return answer;
  }

  private async json<T>(method: string, url: string, body: unknown, signal: AbortSignal): Promise<T> {
    const answer = await this.call(method, url, body, signal);
    try {
      return JSON.parse(answer.body.toString('utf8')) as T;
    } catch {
      throw new OtaError(`${method} ${new URL(url).pathname}: the answer is not JSON`, { code: 'bad-answer' });
    }
  }
}

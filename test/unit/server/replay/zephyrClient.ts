import { createHash } from 'node:crypto';
import { request } from '../helpers/http';
import { ctlResDescr, depResDescr, zephyrParse } from './zephyrJson';

/**
 * Zephyr's hawkBit client replayed request by request: `hawkbit_probe()` in
 * zephyrproject-rtos/zephyr subsys/mgmt/hawkbit/hawkbit.c at 71ba6f3f, with its limits from
 * `hawkbit_parse_deployment()`, `hawkbit_find_deployment_base()` and the buffer sizes at the top
 * of the file. Each probe returns the `enum hawkbit_response` it would, plus what it sent.
 */
export type ZephyrOutcome = 'NO_UPDATE' | 'CANCEL_UPDATE' | 'OK' | 'UPDATE_INSTALLED' | 'DOWNLOAD_ERROR' | 'METADATA_ERROR' | 'PERMISSION_ERROR';

export interface ZephyrProbe {
  outcome: ZephyrOutcome;
  /** Why, in the words of the LOG_ERR that would have printed. */
  error?: string;
  /** Requests made, "METHOD path". */
  requests: string[];
  sleep?: string;
}

/** HAWKBIT_JSON_URL in include/zephyr/mgmt/hawkbit.h of that version (lower-case tenant). */
const jsonUrl = '/default/controller/v1';
const deploymentBaseSize = 50; // DEPLOYMENT_BASE_SIZE
const downloadHttpSize = 200; // DOWNLOAD_HTTP_SIZE
const contentTypeJson = 'application/json;charset=UTF-8'; // HTTP_HEADER_CONTENT_TYPE_JSON

export class ZephyrHawkbitClient {
  /** What `hawkbit_device_acid_update` keeps in NVS: the last action installed. */
  private storedActionId = -1;
  /** The image written to slot 1 by the last download. */
  slot1: Buffer | undefined;

  constructor(
    private readonly server: string,
    readonly board: string,
    readonly deviceId: string,
    private readonly slot1Size: number,
    /**
     * Attributes beyond VIN and hwRevision. The stock client sends only those two; an application
     * adds its own through `hawkbit_set_custom_data_cb` (CONFIG_HAWKBIT_CUSTOM_ATTRIBUTES, newer
     * Zephyr), which is how a Zephyr device reports fw_key and channel.
     */
    private readonly customAttributes: Record<string, string> = {},
  ) {}

  get controllerId(): string {
    return `${this.board}-${this.deviceId}`;
  }

  async probe(): Promise<ZephyrProbe> {
    const requests: string[] = [];
    const base = `${jsonUrl}/${this.controllerId}`;
    const send = async (method: string, path: string, body?: string) => {
      requests.push(`${method} ${path}`);
      // http_client_req: HTTP/1.1, Host, and Content-Type only when there is a payload.
      return request(this.server + path, { method, headers: { ...(body !== undefined ? { 'content-type': contentTypeJson } : {}) }, ...(body !== undefined ? { body } : {}) });
    };
    const done = (outcome: ZephyrOutcome, error?: string, sleep?: string): ZephyrProbe => ({ outcome, requests, ...(error ? { error } : {}), ...(sleep ? { sleep } : {}) });

    // HAWKBIT_PROBE: response_cb checks the length, then 4xx, then parses.
    const poll = await send('GET', base);
    if (Number(poll.headers['content-length']) !== poll.body.length) return done('METADATA_ERROR', 'HTTP response len mismatch');
    if (Math.floor(poll.status / 100) === 4) return done('PERMISSION_ERROR', `HTTP request denied: ${poll.status}`);
    let ctl: Record<string, unknown>;
    try {
      ctl = zephyrParse(poll.body.toString('utf8'), ctlResDescr);
    } catch (err) {
      return done('METADATA_ERROR', `JSON parse error (HAWKBIT_PROBE): ${(err as Error).message}`);
    }
    const sleep = (ctl.config as { polling?: { sleep?: string } } | undefined)?.polling?.sleep;
    if (sleep !== undefined && sleep.length !== 8) return done('METADATA_ERROR', `Invalid poll sleep: ${sleep}`);
    const links = (ctl._links ?? {}) as Record<string, { href?: string } | undefined>;

    const cancel = links.cancelAction?.href;
    if (cancel) {
      const at = cancel.indexOf('cancelAction/');
      if (at < 0) return done('METADATA_ERROR', `Missing cancelAction/ in href ${cancel}`);
      const cancelBase = cancel.slice(at);
      this.actionId = Number.parseInt(cancelBase.split('/')[1] ?? '', 10);
      // HAWKBIT_CLOSE: json_close_descr is id, time, status{execution, result{finished}}.
      await send('POST', `${base}/${cancelBase}/feedback`, JSON.stringify({ id: String(this.actionId), time: '', status: { execution: 'closed', result: { finished: 'success' } } }));
      return done('CANCEL_UPDATE', undefined, sleep);
    }

    if (links.configData?.href) {
      // HAWKBIT_CONFIG_DEVICE: json_cfg_descr is mode, data{VIN, hwRevision}, id, time, status.
      const cfg = { mode: 'merge', data: { VIN: this.deviceId, hwRevision: '3', ...this.customAttributes }, id: '', time: '', status: { execution: 'closed', result: { finished: 'success' } } };
      const put = await send('PUT', `${base}/configData`, JSON.stringify(cfg));
      if (put.status !== 200) return done('METADATA_ERROR', `configData answered ${put.status}`);
    }

    const href = links.deploymentBase?.href;
    if (!href) return done('NO_UPDATE', undefined, sleep);
    const at = href.indexOf('deploymentBase/');
    if (at < 0) return done('METADATA_ERROR', `Missing deploymentBase/ in href ${href}`);
    const deploymentBase = href.slice(at);
    if (deploymentBase.length > deploymentBaseSize - 1) return done('METADATA_ERROR', `deploymentBase ${deploymentBase} is too big`);

    const answer = await send('GET', `${base}/${deploymentBase}`);
    if (Number(answer.headers['content-length']) !== answer.body.length) return done('METADATA_ERROR', 'HTTP response len mismatch');
    let dep: { id?: string; deployment?: { chunks?: { part?: string; artifacts?: { hashes?: { sha256?: string }; size?: number; _links?: Record<string, { href?: string }> }[] }[] } };
    try {
      dep = zephyrParse(answer.body.toString('utf8'), depResDescr) as typeof dep;
    } catch (err) {
      return done('METADATA_ERROR', `JSON parse error (deploymentBase): ${(err as Error).message}`);
    }

    // hawkbit_parse_deployment
    const actionId = Number.parseInt(dep.id ?? '', 10);
    if (!(actionId >= 0)) return done('DOWNLOAD_ERROR', `Invalid action_id: ${dep.id}`);
    const chunks = dep.deployment?.chunks ?? [];
    if (chunks.length !== 1) return done('DOWNLOAD_ERROR', `Expecting 1 chunk (got ${chunks.length})`);
    const chunk = chunks[0]!;
    if (chunk.part !== 'bApp') return done('DOWNLOAD_ERROR', `Only part 'bApp' is supported; got ${chunk.part}`);
    const artifacts = chunk.artifacts ?? [];
    if (artifacts.length !== 1) return done('DOWNLOAD_ERROR', `Expecting 1 artifact (got ${artifacts.length})`);
    const artifact = artifacts[0]!;
    const sha256 = artifact.hashes?.sha256 ?? '';
    if (!/^[0-9a-fA-F]{64}$/.test(sha256)) return done('DOWNLOAD_ERROR', 'hex2bin of hashes.sha256 failed');
    const size = artifact.size ?? 0;
    if (size > this.slot1Size) return done('DOWNLOAD_ERROR', `Artifact file size too big (got ${size}, max is ${this.slot1Size})`);
    const download = artifact._links?.['download-http']?.href;
    if (!download) return done('DOWNLOAD_ERROR', 'Missing expected download-http href');
    const from = download.indexOf('/DEFAULT/controller/v1');
    if (from < 0) return done('DOWNLOAD_ERROR', `Unexpected download-http href format: ${download}`);
    const downloadHttp = download.slice(from);
    if (downloadHttp.length > downloadHttpSize - 1) return done('DOWNLOAD_ERROR', `download-http ${downloadHttp} is too big`);

    if (this.storedActionId === actionId) {
      // "Preventing repeated attempt to install": report the installed action closed.
      await send('POST', `${base}/deploymentBase/${actionId}/feedback`, JSON.stringify({ id: String(actionId), status: { execution: 'closed', result: { finished: 'success' } } }));
      return done('OK', undefined, sleep);
    }

    // HAWKBIT_DOWNLOAD: one GET of the whole artifact into slot 1, then flash_img_check.
    const image = await send('GET', downloadHttp);
    if (image.status !== 200 || image.body.length !== size) return done('DOWNLOAD_ERROR', `Download incomplete (${image.status}, ${image.body.length} of ${size} bytes)`);
    if (createHash('sha256').update(image.body).digest('hex') !== sha256.toLowerCase()) return done('DOWNLOAD_ERROR', 'Failed to validate stored firmware');
    this.slot1 = image.body;
    this.storedActionId = actionId;
    return done('UPDATE_INSTALLED', undefined, sleep);
  }

  private actionId = 0;
}

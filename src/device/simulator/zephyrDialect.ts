import type { DdiDeploymentBase } from '../../core/protocol/ddi';

/**
 * What Zephyr's hawkBit client (subsys/mgmt/hawkbit/hawkbit.c) does differently from our own
 * simulator, so a simulated fleet meets the server the way Zephyr boards do:
 * - it polls tenant `default` and wants `/DEFAULT/controller/v1` in its download link;
 * - it PUTs configData only when the poll carries the link, with VIN and hwRevision (plus what an
 *   application adds through `hawkbit_set_custom_data_cb`);
 * - it takes exactly one chunk, of part `bApp`, with exactly one artifact (`hawkbit_parse_deployment`),
 *   and otherwise logs the reason and does nothing;
 * - it sends feedback only to close an action (`closed`), never `download` or `proceeding`.
 */
export const zephyrTenant = 'default';

/** Why Zephyr would refuse this deploymentBase, in its own log words; undefined when it takes it. */
export function zephyrRefusal(deployment: DdiDeploymentBase): string | undefined {
  const chunks = deployment.deployment.chunks;
  if (chunks.length !== 1) return `Expecting 1 chunk (got ${chunks.length})`;
  const chunk = chunks[0]!;
  if (chunk.part !== 'bApp') return `Only part 'bApp' is supported; got ${chunk.part}`;
  if (chunk.artifacts.length !== 1) return `Expecting 1 artifact (got ${chunk.artifacts.length})`;
  const artifact = chunk.artifacts[0]!;
  if (!/^[0-9a-fA-F]{64}$/.test(artifact.hashes.sha256)) return 'hashes.sha256 is not a SHA-256';
  const href = artifact._links['download-http']?.href;
  if (!href) return 'Missing expected download-http href';
  if (!href.includes('/DEFAULT/controller/v1')) return `Unexpected download-http href format: ${href}`;
  return undefined;
}

/** The attributes Zephyr PUTs: its own two, then the application's custom ones. */
export function zephyrConfigData(deviceId: string, custom: Record<string, string>): Record<string, string> {
  return { VIN: deviceId, hwRevision: '3', ...custom };
}

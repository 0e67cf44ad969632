import * as vscode from 'vscode';
import type { Deployment, Device, WhyNotOffered } from '../../core/protocol/management';
import type { ServerScope } from '../serverNodes';
import type { TreeNode } from './treeNode';

/**
 * The *why not* row under a device that is not offered a deployment. When the only obstacle is a
 * firmware key not bound to the deployment's PID (the seed's fleet shipped with an old key), a
 * click binds it (`ota.bindFirmwareKey`); otherwise it opens the config, where the fix is.
 */
export function whyNotNode(scope: ServerScope, device: Device, why: WhyNotOffered, deployment: Deployment | undefined, boundKeys: ReadonlyMap<string, readonly string[]>): TreeNode {
  const key = device.attributes['fw_key'];
  const channel = device.attributes['channel'];
  const pid = device.attributes['pid'];
  const keyOnly =
    deployment !== undefined &&
    key !== undefined &&
    channel === deployment.channel &&
    (pid === undefined || pid === deployment.pid) &&
    key !== deployment.fwKey &&
    !(boundKeys.get(deployment.pid) ?? []).includes(key);
  const base: TreeNode = {
    id: `${scope.folder.toString()}#server/${scope.server}/device/${device.id}/whynot/${why.deploymentId}`,
    label: vscode.l10n.t('why not'),
    description: why.reason,
    tooltip: why.reason,
    icon: 'circle-slash',
    iconColor: 'list.warningForeground',
    contextValue: 'ota.whyNot',
    target: { folder: scope.folder, server: scope.server, deviceId: device.id },
  };
  if (keyOnly) {
    return {
      ...base,
      tooltip: `${why.reason}\n${vscode.l10n.t('Click to bind {0} to PID {1} in .vscode/ota.json and on the server.', key, deployment.pid)}`,
      bind: { pid: deployment.pid, firmwareKey: key, deviceId: device.id, reason: why.reason },
      command: { command: 'ota.bindFirmwareKey', title: vscode.l10n.t('Bind Firmware Key to PID') },
    };
  }
  // Not a key to bind (another PID, channel, a failed session): the fix is the config or the device.
  return { ...base, open: { uri: vscode.Uri.joinPath(scope.folder, '.vscode', 'ota.json') } };
}

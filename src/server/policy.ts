import { ddiAttribute } from '../core/protocol/ddi';
import type { Deployment, Device, UpdateSession } from '../core/protocol/management';

export type OfferDecision = { offer: true } | { offer: false; reason: string };

/** Whether the deployment names this device at all (explicit list or every matching device). */
export function targets(deployment: Deployment, deviceId: string): boolean {
  return deployment.state === 'active' && (deployment.devices === 'all' || deployment.devices.includes(deviceId));
}

/**
 * The seed's rule: offer only when the key the device reports is bound to the deployment's PID
 * and its channel is the deployment's channel (and its PID, when it reports one, is the deployment's). The reason says what the device reported, what the
 * deployment needs and what to change, because it is shown to a developer as is.
 */
export function decideOffer(device: Device, deployment: Deployment, boundKeys: ReadonlySet<string>, previous: UpdateSession | undefined): OfferDecision {
  const key = device.attributes[ddiAttribute.fwKey];
  const channel = device.attributes[ddiAttribute.channel];
  const pid = device.attributes[ddiAttribute.pid];
  const keys = new Set(boundKeys).add(deployment.fwKey);
  const bound = [...keys].join(', ');
  const reported = `device ${device.id} reports fw_key ${key ?? '(none)'}, channel ${channel ?? '(none)'}`;
  const d = `deployment ${deployment.id}`;

  if (previous?.state === 'failed') {
    return { offer: false, reason: `${d}: the update session ${previous.id} for device ${device.id} failed (${previous.failureReason ?? 'no reason given'}); create a new deployment to try again` };
  }
  // PID, then channel, then key: advice about keys is only right for a device of this product
  // and module (binding its key to the wrong PID would not help, and would widen the binding).
  if (pid !== undefined && pid !== deployment.pid) {
    return { offer: false, reason: `${reported}, pid ${pid}; ${d} is for PID ${deployment.pid}. Deploy to PID ${pid}, or fix the pid the device reports.` };
  }
  if (key === undefined && channel === undefined) {
    return {
      offer: false,
      reason: `device ${device.id} has not reported fw_key or channel; ${d} needs channel ${deployment.channel} and a key bound to PID ${deployment.pid} (bound: ${bound}). Make the device send fw_key and channel in its configData.`,
    };
  }
  if (channel !== deployment.channel) {
    return {
      offer: false,
      reason: `${reported}; ${d} is for channel ${deployment.channel}. Deploy a release built for channel ${channel ?? '(the device must report one)'}, or check which module the device has flashed.`,
    };
  }
  if (key === undefined) {
    return {
      offer: false,
      reason: `device ${device.id} has not reported fw_key; ${d} needs a key bound to PID ${deployment.pid} (bound: ${bound}). Make the device send fw_key (and channel) in its configData.`,
    };
  }
  if (!keys.has(key)) {
    return {
      offer: false,
      reason: `${reported}; ${d} needs a key bound to PID ${deployment.pid} (bound: ${bound}). If devices flashed with ${key} are already in the field, bind ${key} to PID ${deployment.pid}.`,
    };
  }
  return { offer: true };
}

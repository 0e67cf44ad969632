import type { OtaConfig } from '../../core/config/model';
import type { DeviceExpectation } from '../../../webview/protocol';

/**
 * What the workspace config expects devices to report. A device listed in `devices` gets its
 * own `expect`; any other device is judged by the PID it reports: one of the keys bound to that
 * product, and one of the product's channels.
 */
export function configExpectations(config: OtaConfig | undefined): { byDevice: Record<string, DeviceExpectation>; byPid: Record<string, DeviceExpectation> } {
  const byDevice: Record<string, DeviceExpectation> = {};
  const byPid: Record<string, DeviceExpectation> = {};
  if (!config) return { byDevice, byPid };
  for (const product of config.products) {
    byPid[product.pid] = {
      pid: product.pid,
      fwKeys: [...product.firmwareKeys],
      channels: config.channels.filter((c) => c.pid === product.pid).map((c) => c.name),
    };
  }
  for (const device of config.devices) {
    const pid = device.expect?.pid;
    const product = pid ? byPid[pid] : undefined;
    byDevice[device.deviceId] = {
      configName: device.name,
      ...(pid ? { pid } : {}),
      fwKeys: device.expect?.firmwareKey ? [device.expect.firmwareKey] : (product?.fwKeys ?? []),
      channels: device.expect?.channel ? [device.expect.channel] : (product?.channels ?? []),
    };
  }
  return { byDevice, byPid };
}

import type { ExtensionServices } from '../context';
import type { LiveViewHandle } from '../live/liveView';

/** Opens the live update view on the workspace's server; returns a handle tests can watch (no secrets). */
export function openLiveView(services: ExtensionServices): Promise<LiveViewHandle> {
  return services.live.open();
}

import type { ExtensionServices } from '../context';
import type { LiveViewHandle } from '../live/liveView';

/** Opens the live update view on the workspace's server; returns a handle tests can watch (no secrets). */
/** Undefined when the local server is stopped: the view then shows that, with a Start button. */
export function openLiveView(services: ExtensionServices): Promise<LiveViewHandle | undefined> {
  return services.live.open();
}

import type { ExtensionServices } from '../context';

export function showLog(services: ExtensionServices): void {
  services.log.show(true);
}

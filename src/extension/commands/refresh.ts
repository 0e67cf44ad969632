import type { ExtensionServices } from '../context';

export function refresh(services: ExtensionServices): void {
  services.tree.refresh();
}

import { HawkbitDouble } from '../../doubles/hawkbit/hawkbitDouble';
import type { Generation } from '../../doubles/hawkbit/state';

/**
 * What the contract suite runs against: the strict double in either API generation, or a real
 * hawkBit when OTA_HAWKBIT_URL (+ OTA_HAWKBIT_USER / OTA_HAWKBIT_PASSWORD) is set. Against a real
 * server, devices cannot report attributes or progress through the Management API (that is DDI),
 * so the cases that need a device are skipped there.
 */
export interface Backend {
  label: string;
  url: string;
  user: string;
  password: string;
  double?: HawkbitDouble;
  close(): Promise<void>;
}

export function backends(): { label: string; open: () => Promise<Backend> }[] {
  const list = (['legacy', 'current'] as Generation[]).map((generation) => ({
    label: `double (${generation === 'legacy' ? '≤0.9.0' : '≥0.10.0'})`,
    open: async (): Promise<Backend> => {
      const double = await new HawkbitDouble(generation, { admin: { password: 'admin' }, reader: { password: 'reader', permissions: ['READ_REPOSITORY', 'READ_TARGET'] } }).start();
      return { label: generation, url: double.url, user: 'admin', password: 'admin', double, close: () => double.close() };
    },
  }));
  const url = process.env.OTA_HAWKBIT_URL;
  if (url) {
    list.push({
      label: `real hawkBit at ${url}`,
      open: () => Promise.resolve({ label: 'real', url, user: process.env.OTA_HAWKBIT_USER ?? 'admin', password: process.env.OTA_HAWKBIT_PASSWORD ?? 'admin', close: () => Promise.resolve() }),
    });
  }
  return list;
}

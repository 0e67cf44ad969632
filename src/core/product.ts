// Filled in by esbuild (`define`) from package.json; the fallback serves tsc-compiled tests.
declare const OTA_WORKBENCH_VERSION: string | undefined;

export const productVersion: string =
  typeof OTA_WORKBENCH_VERSION === 'string' ? OTA_WORKBENCH_VERSION : '0.0.0-dev';

/**
 * The typed model of the workspace OTA config (`.vscode/ota.json`, with `.vscode/ota.local.json`
 * merged over it). Every feature — build, sign, push, device checks, the CLI — reads this shape,
 * so names here are stable; `schemas/ota.schema.json` describes the same file for the editor and
 * the loader validates against it before building these objects.
 *
 * Paths (artifact, build working dir, TLS files, key files) are relative to the workspace folder
 * that holds `.vscode/`, unless absolute. `LoadedConfig.folder` is that folder.
 */

/** Image layouts the pipeline knows how to read, version and sign. */
export type ImageFormat = 'esp-idf' | 'mcuboot' | 'raw';
export const imageFormats: readonly ImageFormat[] = ['esp-idf', 'mcuboot', 'raw'];

/**
 * A credential reference. Credentials never sit in the file: `${secret:NAME}` is read from
 * VS Code SecretStorage (the CLI reads it from the environment variable `OTA_SECRET_NAME`),
 * `${env:NAME}` from the environment.
 */
export interface SecretRef {
  kind: 'secret' | 'env';
  name: string;
  /** The reference as written, e.g. `${secret:hawkbit}`. */
  text: string;
}

/** A product: its PID and every firmware key bound to it (old keys stay bound for fleets already shipped). */
export interface Product {
  pid: string;
  name: string;
  firmwareKeys: string[];
}

export interface BuildSpec {
  /** Shell command line, run through the platform shell. */
  command: string;
  /** Working directory for the command; the workspace folder when absent. */
  cwd?: string;
  /** Extra environment variables; values may use `${env:NAME}`. */
  env?: Record<string, string>;
}

/** Where the semver release label of a build comes from. */
export type VersionSource =
  /** The version embedded in the image (ESP-IDF `esp_app_desc_t`, MCUboot header). */
  | { source: 'image' }
  /** A file in the workspace; `regex`'s first capture group (or whole match) is the version. */
  | { source: 'file'; file: string; regex: string }
  /** `git describe --tags`, with a leading `v` dropped. */
  | { source: 'git-describe' }
  /** A version written here by hand. */
  | { source: 'fixed'; value: string };
export const versionSources: readonly VersionSource['source'][] = ['image', 'file', 'git-describe', 'fixed'];

/** `mcuboot`: signature TLVs appended to the image (imgtool-compatible). `manifest`: a detached signed manifest. */
export type SigningFormat = 'mcuboot' | 'manifest';
export const signingFormats: readonly SigningFormat[] = ['mcuboot', 'manifest'];

export interface SigningSpec {
  /** A PEM key file path (relative to the workspace folder), or a secret reference holding the PEM. */
  key: string;
  /** The same reference parsed, when `key` is `${secret:…}` / `${env:…}`; absent for a file path. */
  keyRef?: SecretRef;
  format: SigningFormat;
  /** MCUboot security counter (protected TLV); `auto` derives it from the version. */
  securityCounter?: number | 'auto';
}

/**
 * A channel (firmware type): which module an image is for, e.g. `main` (Wi-Fi module), `mcu`,
 * `ble`. Identified by `pid` + `name`. A device is offered an image only if the channel's
 * firmware key is the one it reports and the channel matches what is flashed on it.
 */
export interface Channel {
  name: string;
  pid: string;
  firmwareKey: string;
  format: ImageFormat;
  build?: BuildSpec;
  /** Path or glob (`*`, `**`, `?`) of the built image, relative to the workspace folder. */
  artifact: string;
  version: VersionSource;
  signing?: SigningSpec;
}

export interface LocalServer {
  type: 'local';
  name: string;
  host: string;
  port: number;
  /** PEM certificate and key files; plain HTTP when absent. */
  tls?: { cert: string; key: string };
}

/** Another instance of this project's server, deployed remotely. */
export interface RemoteServer {
  type: 'ota-workbench';
  name: string;
  url: string;
  token: SecretRef;
  /** PEM file of the CA to trust (relative to the workspace folder). */
  ca?: string;
}

/** Eclipse hawkBit through its Management API. */
export interface HawkbitServer {
  type: 'hawkbit';
  name: string;
  url: string;
  tenant: string;
  /** With a username the credential is a Basic-auth password, otherwise a bearer token. */
  username?: string;
  credential: SecretRef;
  /** PEM file of a private CA to trust (relative to the workspace folder). */
  ca?: string;
  /** Software module type key for images; `os` when absent. */
  softwareModuleType: string;
  /** Distribution set type key; `os_app` when absent. */
  distributionSetType: string;
  /** Polling interval of status views (hawkBit has no event stream). */
  pollIntervalSeconds: number;
}

export type Server = LocalServer | RemoteServer | HawkbitServer;
export type ServerType = Server['type'];
export const serverTypes: readonly ServerType[] = ['local', 'ota-workbench', 'hawkbit'];

/** How a device's serial log is read for version, key and channel lines. */
export type LogParser = 'esp-idf' | 'zephyr' | 'mcuboot' | 'arduino' | 'plain';
export const logParsers: readonly LogParser[] = ['esp-idf', 'zephyr', 'mcuboot', 'arduino', 'plain'];

/** A log rule as written in the config: a regex with named groups (checked by the device layer's compiler). */
export interface LogRuleSpec {
  name: string;
  /** JavaScript regex source, matched against the line without ANSI codes, e.g. `fw=(?<version>\S+)`. */
  pattern: string;
  /** `i` for case-insensitive; other flags are not needed on single lines. */
  flags?: string;
  /** One of the device event kinds; `custom` when absent. */
  kind?: string;
  /** One of the device OTA states. */
  state?: string;
}

export interface SerialSpec {
  path: string;
  baud: number;
}

/** What a device should report; a difference is the reason it is not offered an update. */
export interface DeviceExpectation {
  pid?: string;
  firmwareKey?: string;
  channel?: string;
}

export interface Device {
  name: string;
  /** The id the device uses with the server (hawkBit controller id, MAC, …). */
  deviceId: string;
  serial?: SerialSpec;
  logParser: LogParser;
  /** The user's own log rules, tried before the built-in parser. */
  logRules?: LogRuleSpec[];
  expect?: DeviceExpectation;
  /** Name of the server this device talks to; the config's default server when absent. */
  server?: string;
}

export interface Timeouts {
  /** A device offline longer than this during an update fails it; shorter, it resumes. */
  offlineSeconds: number;
  /**
   * Once the device has the whole image, how long it may be offline installing, rebooting and
   * self-testing before the update fails (the server's default, 300 s, when absent).
   */
  installSeconds?: number;
  /** Below this the update is reported as too slow. */
  minBandwidthKbps: number;
  /** How often devices are told to poll the server. */
  pollIntervalSeconds: number;
}

/** The config after merging, schema checks and defaults: what features consume. */
export interface OtaConfig {
  products: Product[];
  channels: Channel[];
  servers: Server[];
  devices: Device[];
  timeouts: Timeouts;
  defaultServer?: string;
  defaultDevice?: string;
}

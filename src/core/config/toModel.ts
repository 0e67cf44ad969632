import { defaultBaud, defaultLocalHost, defaultLocalPort, defaultTimeouts } from './defaults';
import type { Channel, Device, LogRuleSpec, OtaConfig, Product, SecretRef, Server, VersionSource } from './model';
import { parseSecretRef } from './secretRef';

type Obj = Record<string, unknown>;

/**
 * Builds the typed model from a merged value that passed the schema check, filling defaults.
 * Only called when there are no errors, so the casts below are backed by the schema.
 */
export function toModel(value: Obj): OtaConfig {
  const list = (key: string): Obj[] => (Array.isArray(value[key]) ? (value[key] as Obj[]) : []);
  const config: OtaConfig = {
    products: list('products').map(toProduct),
    channels: list('channels').map(toChannel),
    servers: list('servers').map(toServer),
    devices: list('devices').map(toDevice),
    timeouts: { ...defaultTimeouts, ...((value.timeouts as Obj | undefined) ?? {}) },
  };
  if (typeof value.defaultServer === 'string') config.defaultServer = value.defaultServer;
  if (typeof value.defaultDevice === 'string') config.defaultDevice = value.defaultDevice;
  return config;
}

function toProduct(p: Obj): Product {
  return { pid: p.pid as string, name: p.name as string, firmwareKeys: [...(p.firmwareKeys as string[])] };
}

function toChannel(c: Obj): Channel {
  const channel: Channel = {
    name: c.name as string,
    pid: c.pid as string,
    firmwareKey: c.firmwareKey as string,
    format: c.format as Channel['format'],
    artifact: c.artifact as string,
    version: { ...(c.version as VersionSource) },
  };
  const build = c.build as Obj | undefined;
  if (build) {
    channel.build = { command: build.command as string };
    if (typeof build.cwd === 'string') channel.build.cwd = build.cwd;
    if (build.env) channel.build.env = { ...(build.env as Record<string, string>) };
  }
  const signing = c.signing as Obj | undefined;
  if (signing) {
    const key = signing.key as string;
    const keyRef = parseSecretRef(key);
    const counter = signing.securityCounter;
    channel.signing = {
      key,
      format: signing.format as 'mcuboot' | 'manifest',
      ...(keyRef ? { keyRef } : {}),
      ...(counter === 'auto' || typeof counter === 'number' ? { securityCounter: counter } : {}),
    };
  }
  return channel;
}

function secret(text: unknown): SecretRef {
  return parseSecretRef(text as string)!;
}

function toServer(s: Obj): Server {
  switch (s.type) {
    case 'local': {
      const tls = s.tls as Obj | undefined;
      return {
        type: 'local',
        name: s.name as string,
        host: (s.host as string | undefined) ?? defaultLocalHost,
        port: (s.port as number | undefined) ?? defaultLocalPort,
        ...(tls ? { tls: { cert: tls.cert as string, key: tls.key as string } } : {}),
      };
    }
    case 'ota-workbench':
      return { type: 'ota-workbench', name: s.name as string, url: s.url as string, token: secret(s.token), ...(typeof s.ca === 'string' ? { ca: s.ca } : {}) };
    default:
      return {
        type: 'hawkbit',
        name: s.name as string,
        url: s.url as string,
        tenant: s.tenant as string,
        ...(typeof s.username === 'string' ? { username: s.username } : {}),
        credential: secret(s.credential),
        ...(typeof s.ca === 'string' ? { ca: s.ca } : {}),
        softwareModuleType: (s.softwareModuleType as string | undefined) ?? 'os',
        distributionSetType: (s.distributionSetType as string | undefined) ?? 'os_app',
        pollIntervalSeconds: (s.pollIntervalSeconds as number | undefined) ?? 10,
      };
  }
}

function toDevice(d: Obj): Device {
  const device: Device = { name: d.name as string, deviceId: d.deviceId as string, logParser: (d.logParser as Device['logParser'] | undefined) ?? 'plain' };
  if (Array.isArray(d.logRules)) device.logRules = (d.logRules as LogRuleSpec[]).map((r) => ({ ...r }));
  const serial = d.serial as Obj | undefined;
  if (serial) device.serial = { path: serial.path as string, baud: (serial.baud as number | undefined) ?? defaultBaud };
  if (d.expect) device.expect = { ...(d.expect as Obj) } as Device['expect'];
  if (typeof d.server === 'string') device.server = d.server;
  return device;
}

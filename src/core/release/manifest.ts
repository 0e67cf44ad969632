import type { ImageFormat } from '../image/inspectImage';

/** How the release relates to what devices run: the seed's normal update, stress test and rollback. */
export type ReleaseKind = 'release' | 'stress' | 'rollback';

export interface BuildMetadata {
  gitCommit?: string;
  gitDirty?: boolean;
  /** ISO 8601, when the build finished. */
  time: string;
  /** user@host that ran the build. */
  builder: string;
  /** Size of the artifact the build produced, before signing. */
  size: number;
  command?: string;
}

export const manifestSchema = 'ota-workbench/release-manifest@1';

/** The signed description of one release artifact. Everything but `signature` is signed. */
export interface ReleaseManifest {
  schema: typeof manifestSchema;
  /** The semver release label the server shows and devices are offered under. */
  label: string;
  /** The version inside the image: what the device will report after installing it. */
  embeddedVersion: string;
  /** ESP-IDF anti-rollback counter, when the image has one. */
  secureVersion?: number;
  format: ImageFormat;
  kind: ReleaseKind;
  pid: string;
  firmwareKey: string;
  channel: string;
  /** File name of the artifact next to the manifest. */
  file: string;
  size: number;
  md5: string;
  sha256: string;
  /** HMAC-SHA256 of the artifact under the device secret, when one is configured. */
  hmacSha256?: string;
  build?: BuildMetadata;
  /**
   * Set when the tool predicted that devices comparing embedded versions refuse this release
   * (a stress test without --restamp, say); such a release is not what devices end up running.
   */
  deviceRefusal?: string;
  createdAt: string;
  /** MCUboot key hash of the key that signed the manifest (and the image, for MCUboot). */
  keyId: string;
  signature?: ManifestSignature;
}

export interface ManifestSignature {
  algorithm: 'ed25519' | 'rsa-pss-sha256' | 'ecdsa-p256-sha256';
  /** Base64 signature over canonicalJson(manifest without `signature`). */
  value: string;
}

import { readFile } from 'node:fs/promises';
import { OtaError } from '../errors';
import { unreadable } from '../image/readImageFile';
import { manifestSchema } from './manifest';
import type { ReleaseManifest } from './manifest';

const required: ReadonlyArray<[keyof ReleaseManifest, 'string' | 'number']> = [
  ['label', 'string'],
  ['embeddedVersion', 'string'],
  ['format', 'string'],
  ['size', 'number'],
  ['md5', 'string'],
  ['sha256', 'string'],
  ['keyId', 'string'],
];

export async function readManifest(path: string): Promise<ReleaseManifest> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw unreadable(path, err);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new OtaError(`the manifest is not valid JSON: ${(err as Error).message}`, { where: path, hint: 'Use the .manifest.json written by ota release create.', code: 'manifest-invalid' });
  }
  const record = value as Record<string, unknown>;
  if (typeof value !== 'object' || value === null || record.schema !== manifestSchema) {
    throw new OtaError(`not an OTA Workbench release manifest (schema is not ${manifestSchema})`, { where: path, hint: 'Use the .manifest.json written by ota release create.', code: 'manifest-invalid' });
  }
  for (const [field, type] of required) {
    if (typeof record[field] !== type) {
      throw new OtaError(`manifest field '${field}' is missing or not a ${type}`, { where: path, hint: 'The manifest was edited or damaged; create the release again.', code: 'manifest-invalid' });
    }
  }
  return value as ReleaseManifest;
}

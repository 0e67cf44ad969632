import * as vscode from 'vscode';
import { createHash } from 'node:crypto';
import { basename, dirname } from 'node:path';
import { findArtifact } from '../../core/build/findArtifact';
import { describeImage, formatRows } from '../../core/image/describeImage';
import type { InfoRow } from '../../core/image/describeImage';
import { inspectImage } from '../../core/image/inspectImage';
import type { ImageInfo } from '../../core/image/inspectImage';
import { readImageFile } from '../../core/image/readImageFile';
import { testKeyName } from '../../core/signing/testKeys';
import type { ExtensionServices } from '../context';
import { targetOf } from './commandTarget';
import { pickWorkspace } from './pickTarget';
import { reportFailure } from './reportFailure';
import { StepFlow } from './steps';

export interface ImageInfoResult {
  file: string;
  image: ImageInfo;
  rows: InfoRow[];
}

/** Where the open dialog starts: the channel's build output directory when the workspace has one. */
async function startFolder(flow: StepFlow, arg: unknown): Promise<vscode.Uri | undefined> {
  const target = targetOf(arg);
  const workspace = await pickWorkspace(flow, target).catch(() => undefined);
  if (!workspace) return vscode.workspace.workspaceFolders?.[0]?.uri;
  const channel = workspace.config.channels.find((c) => c.name === target?.channel) ?? workspace.config.channels[0];
  const artifact = channel ? await findArtifact(channel, workspace.folder).catch(() => undefined) : undefined;
  return vscode.Uri.file(artifact ? artifact.path : workspace.folder);
}

/**
 * OTA: Image Info — what `ota image info` prints (format, embedded version, chip, hashes,
 * signature TLVs), for an image file, a release row, or a channel's build output, in a read-only
 * document beside the editor.
 */
export async function imageInfo(services: ExtensionServices, arg?: unknown): Promise<ImageInfoResult | undefined> {
  const flow = new StepFlow(vscode.l10n.t('OTA: Image Info'), 1);
  try {
    let file: string | undefined;
    if (arg instanceof vscode.Uri) file = arg.fsPath;
    else {
      const target = targetOf(arg);
      if (target?.release) file = target.release.fsPath;
      else {
        const start = await startFolder(flow, arg);
        const picked = await vscode.window.showOpenDialog({
          title: vscode.l10n.t('Image to describe'),
          openLabel: vscode.l10n.t('Describe this image'),
          canSelectMany: false,
          ...(start ? { defaultUri: start } : {}),
          filters: { [vscode.l10n.t('Firmware images')]: ['bin', 'hex', 'img', 'elf'], [vscode.l10n.t('All files')]: ['*'] },
        });
        file = picked?.[0]?.fsPath;
      }
    }
    if (!file) return undefined;
    const { bytes, hexBaseAddress } = await readImageFile(file);
    const image = inspectImage(bytes, file);
    const rows: InfoRow[] = [['file', file]];
    if (hexBaseAddress !== undefined) rows.push(['converted from', `Intel HEX, base address 0x${hexBaseAddress.toString(16)}`]);
    rows.push(...describeImage(image), ['file MD5', createHash('md5').update(bytes).digest('hex')], ['file SHA-256', createHash('sha256').update(bytes).digest('hex')]);
    const testKey = image.format === 'mcuboot' && image.keyHash ? testKeyName(image.keyHash) : undefined;
    if (testKey) rows.push(['WARNING', `signed with the ${testKey}, whose private key is public`]);
    services.log.info(`image info ${file}:\n${formatRows(rows)}`);
    const doc = await vscode.workspace.openTextDocument({ content: `# ${basename(file)} (${dirname(file)})\n\n${formatRows(rows)}`, language: 'plaintext' });
    await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
    return { file, image, rows };
  } catch (err) {
    reportFailure(services, vscode.l10n.t('Image Info failed'), err, {});
    return undefined;
  }
}

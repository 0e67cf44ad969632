import * as vscode from 'vscode';
import type { Server } from '../../core/config/model';
import { serverStatusNodes } from '../serverNodes';
import type { ServerState, ServerWatch } from './serverWatch';
import type { TreeNode } from './treeNode';

/** The embedded server as the view needs it: running on this URL, or not. */
export interface EmbeddedView {
  url: string;
  port: number;
}

/**
 * A server row: local (embedded: running / stopped), our server elsewhere, or hawkBit — with the
 * state its watch found (running, unreachable, unauthorized). Expanded, it lists what the server
 * holds, kept current by the watch.
 */
export function serverNode(folder: vscode.Uri, server: Server, open: TreeNode['open'], embedded: EmbeddedView | undefined, watch: ServerWatch | undefined): TreeNode {
  const id = `${folder.toString()}#server/${server.name}`;
  const target = { folder, server: server.name };
  if (server.type === 'local') {
    const running = embedded !== undefined && embedded.port === server.port;
    return {
      id,
      label: server.name,
      description: running ? vscode.l10n.t('running · {0}', embedded.url) : vscode.l10n.t('stopped · local {0}:{1}', server.host, server.port),
      tooltip: running ? vscode.l10n.t('The embedded OTA server runs on {0}.', embedded.url) : vscode.l10n.t('The embedded OTA server is stopped. Start it from this row or with "OTA: Start Local Server".'),
      icon: running ? 'radio-tower' : 'server-environment',
      ...(running ? { iconColor: 'testing.iconPassed' } : {}),
      open,
      contextValue: running ? 'ota.server.local.running' : 'ota.server.local.stopped',
      target,
      ...(running && watch ? { watchKey: id, load: () => liveChildren(id, target, watch) } : {}),
    };
  }
  const state = watch?.state;
  return {
    id,
    label: server.name,
    description: !vscode.workspace.isTrusted ? vscode.l10n.t('not contacted in Restricted Mode · {0}', server.url) : `${stateWords(state)}${server.url}`,
    tooltip: state && state.kind !== 'running' && state.kind !== 'connecting' ? state.reason : server.url,
    icon: server.type === 'hawkbit' ? 'cloud' : 'server',
    ...(state ? stateColor(state) : {}),
    open,
    contextValue: server.type === 'hawkbit' ? 'ota.server.hawkbit' : 'ota.server.remote',
    target,
    ...(watch ? { watchKey: id, load: () => liveChildren(id, target, watch) } : {}),
  };
}

function stateWords(state: ServerState | undefined): string {
  switch (state?.kind) {
    case undefined:
    case 'connecting':
      return '';
    case 'running':
      return vscode.l10n.t('running · ');
    case 'unreachable':
      return vscode.l10n.t('unreachable · ');
    case 'unauthorized':
      return vscode.l10n.t('unauthorized · ');
    case 'error':
      return vscode.l10n.t('error · ');
  }
}

function stateColor(state: ServerState): { iconColor?: string } {
  if (state.kind === 'running') return { iconColor: 'testing.iconPassed' };
  if (state.kind === 'unreachable' || state.kind === 'unauthorized' || state.kind === 'error') return { iconColor: 'list.errorForeground' };
  return {};
}

/** Starts (or keeps) the watch and shows what it has; a problem row explains a server that did not answer. */
async function liveChildren(id: string, target: { folder: vscode.Uri; server: string }, watch: ServerWatch): Promise<TreeNode[]> {
  await watch.resume();
  const state = watch.state;
  const scope = { folder: target.folder, server: target.server };
  switch (state.kind) {
    case 'running':
      return serverStatusNodes(scope, state.report, state.rollouts);
    case 'connecting':
      return [{ id: `${id}/connecting`, label: vscode.l10n.t('connecting…'), icon: 'loading~spin' }];
    case 'unreachable': {
      const row: TreeNode = { id: `${id}/problem`, label: vscode.l10n.t('unreachable'), description: state.reason, tooltip: state.reason, icon: 'debug-disconnect', iconColor: 'list.errorForeground' };
      return state.last ? [row, ...serverStatusNodes(scope, state.last, undefined)] : [row];
    }
    case 'unauthorized':
      return [{ id: `${id}/problem`, label: vscode.l10n.t('unauthorized'), description: state.reason, tooltip: vscode.l10n.t('{0}\nStore the credential with "OTA: Store Secret…".', state.reason), icon: 'lock', iconColor: 'list.errorForeground' }];
    case 'error':
      return [{ id: `${id}/problem`, label: vscode.l10n.t('cannot read the server'), description: state.reason, tooltip: state.reason, icon: 'error', iconColor: 'list.errorForeground' }];
  }
}

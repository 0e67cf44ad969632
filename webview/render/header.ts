import * as l10n from '@vscode/l10n';
import { h } from '../dom';
import type { LiveState } from '../liveState';
import type { ConnectionState, WebviewCommand } from '../protocol';
import { connectionWord } from '../stateWords';

/** Which server, whether the stream is live, counts at a glance, and the actions. */
export function headerSection(state: LiveState, send: (c: WebviewCommand) => void): HTMLElement {
  const source = state.snapshot?.source;
  const connection = state.connection;
  // Devices, by their newest session: a device updated twice is one updated device.
  const { devices, updating, updated, failed, notOffered } = state.counts();
  const demo = state.snapshot?.demo;
  const where = source ? (source.kind === 'embedded' ? l10n.t('Embedded server "{0}" at {1}', source.name, source.url) : l10n.t('Server "{0}" at {1}', source.name, source.url)) : l10n.t('Not connected');
  return h(
    'header',
    { class: 'top' },
    h(
      'div',
      { class: 'title-row' },
      h('h1', {}, l10n.t('OTA Live Updates')),
      connection
        ? h('span', { class: `conn conn-${connection.state}`, title: connection.detail }, connection.state === 'live' ? h('span', { 'aria-hidden': 'true' }, '● ') : undefined, connectionWord(connection.state))
        : undefined,
      h('span', { class: 'spacer' }),
      demo ? h('vscode-button', { secondary: true, 'data-key': 'demo', onClick: () => send({ command: 'stopDemo' }) }, l10n.t('Stop Demo')) : h('vscode-button', { secondary: true, 'data-key': 'demo', onClick: () => send({ command: 'runDemo' }) }, l10n.t('Run Demo')),
      h('vscode-button', { secondary: true, 'data-key': 'reconnect', onClick: () => send({ command: 'reconnect' }) }, l10n.t('Reconnect')),
      h('vscode-button', { secondary: true, 'data-key': 'openConfig', onClick: () => send({ command: 'openConfig' }) }, l10n.t('Open Config')),
    ),
    h('div', { class: 'source' }, where, demo?.release ? ` · ${l10n.t('demo release {0}', demo.release)}` : ''),
    connection && connection.state !== 'live' ? banner(connection, send) : undefined,
    h(
      'div',
      { class: 'counts' },
      count(devices, 'devices', l10n.t('devices')),
      count(updating, 'updating', l10n.t('updating')),
      count(updated, 'updated', l10n.t('updated'), 'good'),
      count(failed, 'failed', l10n.t('failed'), failed ? 'bad' : undefined),
      count(notOffered, 'not offered', l10n.t('not offered'), notOffered ? 'warn' : undefined),
    ),
  );
}

/**
 * Why the stream is not live. A stopped server is a state, not a failure: it reads in the normal
 * text colour, with a Start button when the view can start it (the workspace's local server).
 */
function banner(connection: Exclude<ConnectionState, { state: 'live' }>, send: (c: WebviewCommand) => void): HTMLElement {
  if (connection.state === 'stopped') {
    return h(
      'div',
      { class: 'banner stopped' },
      h('span', { class: 'banner-text' }, connection.detail),
      connection.canStart ? h('vscode-button', { 'data-key': 'startServer', class: 'start-server', onClick: () => send({ command: 'startServer' }) }, l10n.t('Start Server')) : undefined,
    );
  }
  const tone = connection.state === 'error' ? 'bad' : 'warn';
  return h('div', { class: `banner ${tone}`, role: connection.state === 'error' ? 'alert' : undefined }, connection.detail);
}

/** `key` names the count for tests and tools whatever the language; `label` is what people read. */
function count(n: number, key: string, label: string, tone?: string): HTMLElement {
  return h('span', { class: `count ${tone ?? ''}`, 'data-count': key }, h('b', {}, n), ` ${label}`);
}

import { h } from '../dom';
import type { LiveState } from '../liveState';
import type { WebviewCommand } from '../protocol';

/** Which server, whether the stream is live, counts at a glance, and the actions. */
export function headerSection(state: LiveState, send: (c: WebviewCommand) => void): HTMLElement {
  const source = state.snapshot?.source;
  const connection = state.connection;
  const sessions = [...state.sessions.values()];
  const active = sessions.filter((s) => ['offered', 'downloading', 'downloaded', 'installing'].includes(s.state)).length;
  const succeeded = sessions.filter((s) => s.state === 'succeeded').length;
  const failed = sessions.filter((s) => s.state === 'failed').length;
  const notOffered = [...state.devices.values()].filter((d) => state.whyNotOf(d).length > 0).length;
  const demo = state.snapshot?.demo;
  return h(
    'header',
    { class: 'top' },
    h(
      'div',
      { class: 'title-row' },
      h('h1', {}, 'OTA Live Updates'),
      connection ? h('span', { class: `conn conn-${connection.state}`, title: connection.detail }, connection.state === 'live' ? '● live' : connection.state) : undefined,
      h('span', { class: 'spacer' }),
      demo ? h('vscode-button', { secondary: true, onClick: () => send({ command: 'stopDemo' }) }, 'Stop Demo') : h('vscode-button', { secondary: true, onClick: () => send({ command: 'runDemo' }) }, 'Run Demo'),
      h('vscode-button', { secondary: true, onClick: () => send({ command: 'reconnect' }) }, 'Reconnect'),
      h('vscode-button', { secondary: true, onClick: () => send({ command: 'openConfig' }) }, 'Open Config'),
    ),
    h(
      'div',
      { class: 'source' },
      source ? `${source.kind === 'embedded' ? 'Embedded server' : 'Server'} "${source.name}" at ${source.url}` : 'Not connected',
      demo?.release ? ` · demo release ${demo.release}` : '',
    ),
    connection && connection.state !== 'live' ? h('div', { class: `banner ${connection.state === 'error' ? 'bad' : 'warn'}` }, connection.detail) : undefined,
    h(
      'div',
      { class: 'counts' },
      count(state.devices.size, 'devices'),
      count(active, 'updating'),
      count(succeeded, 'updated', 'good'),
      count(failed, 'failed', failed ? 'bad' : undefined),
      count(notOffered, 'not offered', notOffered ? 'warn' : undefined),
    ),
  );
}

function count(n: number, label: string, tone?: string): HTMLElement {
  return h('span', { class: `count ${tone ?? ''}`, 'data-count': label }, h('b', {}, n), ` ${label}`);
}

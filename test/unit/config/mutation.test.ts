import * as assert from 'node:assert/strict';
import { applyEdits, findNodeAtLocation, getNodePath, modify, parseTree } from 'jsonc-parser';
import type { Node } from 'jsonc-parser';
import type { ConfigCheckResult } from '../../../src/core/config/check';
import type { ConfigDiagnostic } from '../../../src/core/config/diagnostic';
import { check, expectedPosition, minimal, readFixture } from './helpers';

/** mulberry32: a tiny seeded generator, so a failing case can be replayed from its number. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;

function allNodes(root: Node | undefined): Node[] {
  const out: Node[] = [];
  const visit = (n: Node) => {
    out.push(n);
    n.children?.forEach(visit);
  };
  if (root) visit(root);
  return out;
}

const replacements = ['42', '"x"', 'true', 'null', '{}', '[]', '-1.5', '""', '"${secret:x}"', '"-----BEGIN PRIVATE KEY-----\\nAAAA"', '"p1"', '"main"', '1e999'];
const noise = ['{', '}', '[', ']', ',', ':', '"', "'", '/', '\\', '*', ' ', 'a', '1', '-', '\n', '/*', '//', '\u00e9', '\ud83d'];

/** The kinds of edit a person makes by accident: each returns the mutated text and a label. */
const mutations: ((text: string, rng: Rng) => [string, string])[] = [
  (text, rng) => {
    const at = Math.floor(rng() * text.length);
    const n = 1 + Math.floor(rng() * 5);
    return [text.slice(0, at) + text.slice(at + n), `delete ${n} chars at ${at}`];
  },
  (text, rng) => {
    const at = Math.floor(rng() * (text.length + 1));
    const ch = pick(rng, noise);
    return [text.slice(0, at) + ch + text.slice(at), `insert ${JSON.stringify(ch)} at ${at}`];
  },
  (text, rng) => {
    const values = allNodes(parseTree(text)).filter((n) => n.parent !== undefined && n.parent.type !== 'property' ? n.parent?.type === 'array' : n.parent?.children?.[1] === n);
    if (values.length === 0) return [text, 'no value to swap'];
    const node = pick(rng, values);
    const by = pick(rng, replacements);
    return [text.slice(0, node.offset) + by + text.slice(node.offset + node.length), `swap value at ${node.offset} for ${by}`];
  },
  (text, rng) => {
    const props = allNodes(parseTree(text)).filter((n) => n.type === 'property');
    if (props.length === 0) return [text, 'no property to remove'];
    const path = getNodePath(pick(rng, props).children![0]!);
    return [applyEdits(text, modify(text, path, undefined, {})), `remove ${JSON.stringify(path)}`];
  },
  (text, rng) => {
    const props = allNodes(parseTree(text)).filter((n) => n.type === 'property');
    if (props.length === 0) return [text, 'no property to duplicate'];
    const prop = pick(rng, props);
    const copy = text.slice(prop.offset, prop.offset + prop.length);
    return [text.slice(0, prop.offset) + copy + ', ' + text.slice(prop.offset), `duplicate property at ${prop.offset}`];
  },
  (text, rng) => {
    const at = Math.floor(rng() * text.length);
    return [text.slice(0, at), `truncate at ${at}`];
  },
  (text, rng) => {
    const strings = allNodes(parseTree(text)).filter((n) => n.type === 'string' && n.parent?.type !== 'property' ? true : n.type === 'string' && n.parent?.children?.[1] === n);
    if (strings.length < 2) return [text, 'no strings to copy'];
    const from = pick(rng, strings);
    const to = pick(rng, strings);
    return [text.slice(0, to.offset) + JSON.stringify(from.value) + text.slice(to.offset + to.length), `copy string ${JSON.stringify(from.value)} over ${to.offset}`];
  },
  (text, rng) => {
    const root = parseTree(text);
    const lists = ['products', 'channels', 'servers', 'devices'].filter((k) => root && findNodeAtLocation(root, [k])?.type === 'array');
    if (lists.length === 0) return [text, 'no list'];
    const list = pick(rng, lists);
    const item = findNodeAtLocation(root!, [list, 0]);
    if (!item) return [text, 'empty list'];
    const copy = text.slice(item.offset, item.offset + item.length);
    return [text.slice(0, item.offset) + copy + ',' + text.slice(item.offset), `duplicate ${list}[0]`];
  },
];

function assertPositioned(d: ConfigDiagnostic, texts: Map<string, string>, label: string): void {
  const text = texts.get(d.file);
  assert.ok(text !== undefined, `${label}: diagnostic in unknown file ${d.file}`);
  assert.ok(d.message.length > 0, `${label}: empty message`);
  assert.ok(d.offset >= 0 && d.offset + d.length <= text.length, `${label}: range ${d.offset}+${d.length} outside ${text.length}`);
  assert.deepEqual({ line: d.line, column: d.column }, expectedPosition(text, d.offset), `${label}: line/column disagree with offset`);
  assert.ok(d.line >= 1 && d.column >= 1, `${label}: position before the file start`);
}

describe('config mutation test', () => {
  const bases = [readFixture('config', 'full.jsonc'), JSON.stringify(minimal(), null, 2)];
  const localBase = '{\n  "devices": [{ "name": "bench-esp32", "serial": { "path": "/dev/ttyACM0", "baud": 921600 } }],\n  "servers": [{ "name": "local", "port": 9000 }]\n}\n';

  it('the unmutated bases load cleanly (so every error below comes from a mutation)', () => {
    for (const base of bases) assert.deepEqual(check(base, localBase).diagnostics, []);
  });

  it('600 seeded random edits each load or give positioned errors, never a crash', () => {
    const outcomes = { loaded: 0, failed: 0 };
    const stages = new Set<string>();
    const cases = 600;
    for (let i = 0; i < cases; i++) {
      const rng = random(0x07a + i);
      const withLocal = i % 3 === 0;
      let shared = pick(rng, bases);
      let local = withLocal ? localBase : undefined;
      const labels: string[] = [];
      const edits = 1 + Math.floor(rng() * 3);
      for (let e = 0; e < edits; e++) {
        const mutateLocal = local !== undefined && rng() < 0.3;
        const [next, label] = pick(rng, mutations)(mutateLocal ? local! : shared, rng);
        labels.push(`${mutateLocal ? 'local' : 'shared'}: ${label}`);
        if (mutateLocal) local = next;
        else shared = next;
      }
      const label = `case ${i} (${labels.join('; ')})`;
      let result: ConfigCheckResult;
      try {
        result = check(shared, local);
      } catch (err) {
        assert.fail(`${label} threw: ${(err as Error).stack}`);
      }
      const texts = new Map([['/ws/.vscode/ota.json', shared]]);
      if (local !== undefined) texts.set('/ws/.vscode/ota.local.json', local);
      for (const d of result.diagnostics) {
        assertPositioned(d, texts, label);
        stages.add(d.stage);
      }
      const errors = result.diagnostics.filter((d) => d.severity === 'error');
      if (result.config) {
        assert.equal(errors.length, 0, `${label}: a model despite errors`);
        outcomes.loaded++;
      } else {
        assert.ok(errors.length > 0, `${label}: no model and no error`);
        outcomes.failed++;
      }
    }
    // The edits must exercise both outcomes and every kind of check, or the test proves little.
    assert.ok(outcomes.loaded > 20 && outcomes.failed > 200, JSON.stringify(outcomes));
    assert.deepEqual([...stages].sort(), ['schema', 'secret', 'semantic', 'syntax']);
  });
});

import * as assert from 'node:assert/strict';
import { checkConfigSources } from '../../../src/core/config/check';
import type { ConfigCheckResult } from '../../../src/core/config/check';
import { configFixes, configProblems } from '../../../src/core/checks/configFixes';
import type { ConfigFix } from '../../../src/core/checks/configFixes';
import { applyTextEdits } from '../../../src/core/checks/textEdit';

const sharedFile = '/ws/.vscode/ota.json';
const localFile = '/ws/.vscode/ota.local.json';

function check(text: string, local?: string): ConfigCheckResult {
  return checkConfigSources({ file: sharedFile, text }, local === undefined ? undefined : { file: localFile, text: local });
}

/** The fixes offered for the one problem with `code`, by title. */
function fixesFor(result: ConfigCheckResult, code: string): ConfigFix[] {
  const problems = configProblems(result).filter((p) => p.issue.code === code);
  assert.equal(problems.length, 1, `one ${code}: ${JSON.stringify(problems.map((p) => p.issue.message))}`);
  return configFixes(result, problems[0]!);
}

/** Applies a fix to the texts it edits and checks the result again. */
function apply(texts: { shared: string; local?: string }, fix: ConfigFix): { shared: string; local?: string; after: ConfigCheckResult } {
  const files: Record<string, string> = { [sharedFile]: texts.shared, ...(texts.local !== undefined ? { [localFile]: texts.local } : {}) };
  for (const file of new Set(fix.edits.map((e) => e.file))) files[file] = applyTextEdits(files[file]!, fix.edits.filter((e) => e.file === file));
  const shared = files[sharedFile]!;
  const local = files[localFile];
  return { shared, ...(local !== undefined ? { local } : {}), after: check(shared, local) };
}

const sample = `// shared OTA config
{
  "products": [
    {
      "pid": "plug01",
      "name": "Smart Plug",
      // the first fleet shipped with 2023
      "firmwareKeys": ["plug-key-2024", "plug-key-2023"]
    },
    { "pid": "lamp02", "name": "Lamp", "firmwareKeys": ["lamp-key"] },
  ],
  "channels": [
    {
      "name": "main",
      "pid": "plug01",
      "firmwareKey": "plug-key-2099", /* was 2024 */
      "format": "esp-idf",
      "artifact": "build/a.bin",
      "version": { "source": "image" },
    },
  ],
  "servers": [{ "type": "local", "name": "local" }, { "type": "local", "name": "lab" }],
  "devices": [
    { "name": "bench", "deviceId": "d1", "logParser": "esp-idf", "server": "locl", "expect": { "pid": "plug1", "channel": "main" } },
    { "name": "desk", "deviceId": "d2", "logParser": "esp-idf", "expect": { "pid": "plug01", "channel": "mian" } },
  ],
  "defaultServer": "local",
  "defaultDevice": "bnch",
}
`;

describe('quick fixes for the workspace config', () => {
  it('an unbound channel key offers "Bind KEY to PID P" then "Use bound key K" for each bound key', () => {
    const fixes = fixesFor(check(sample), 'key-not-bound');
    assert.deepEqual(
      fixes.map((f) => f.title),
      ['Bind plug-key-2099 to PID plug01', 'Use bound key plug-key-2024', 'Use bound key plug-key-2023'],
    );
    // "2099" is two characters away from a bound key: a typo, so using that key is the preferred fix.
    assert.deepEqual(fixes.map((f) => f.preferred === true), [false, true, false]);
  });

  it('binding appends to a one-line list in place and keeps every comment and trailing comma', () => {
    const [bind] = fixesFor(check(sample), 'key-not-bound');
    const { shared, after } = apply({ shared: sample }, bind!);
    assert.equal(shared, sample.replace('["plug-key-2024", "plug-key-2023"]', '["plug-key-2024", "plug-key-2023", "plug-key-2099"]'));
    assert.ok(shared.includes('// the first fleet shipped with 2023') && shared.includes('/* was 2024 */') && shared.includes('"version": { "source": "image" },\n'));
    assert.deepEqual(after.diagnostics.filter((d) => d.code === 'key-not-bound'), []);
  });

  it('"Use bound key" rewrites only the value', () => {
    const fix = fixesFor(check(sample), 'key-not-bound').find((f) => f.title === 'Use bound key plug-key-2023')!;
    const { shared, after } = apply({ shared: sample }, fix);
    assert.equal(shared, sample.replace('"firmwareKey": "plug-key-2099"', '"firmwareKey": "plug-key-2023"'));
    assert.deepEqual(after.diagnostics.filter((d) => d.code === 'key-not-bound'), []);
  });

  const listCases: { name: string; list: string; expected: string }[] = [
    { name: 'one line with a trailing comma', list: '["a", "b",]', expected: '["a", "b", "new",]' },
    { name: 'empty', list: '[]', expected: '["new"]' },
    { name: 'one entry a line', list: '[\n        "a",\n        "b"\n      ]', expected: '[\n        "a",\n        "b",\n        "new"\n      ]' },
    { name: 'one entry a line, trailing comma', list: '[\n        "a",\n        "b",\n      ]', expected: '[\n        "a",\n        "b",\n        "new",\n      ]' },
    {
      name: 'one entry a line, comment after the last',
      list: '[\n        "a",\n        "b" // shipped 2023\n      ]',
      expected: '[\n        "a",\n        "b", // shipped 2023\n        "new"\n      ]',
    },
    {
      name: 'trailing comma and a comment after it',
      list: '[\n        "a", /* x */\n        "b", // old\n      ]',
      expected: '[\n        "a", /* x */\n        "b", // old\n        "new",\n      ]',
    },
  ];
  for (const c of listCases) {
    it(`binding into a firmwareKeys list: ${c.name}`, () => {
      const text = `{\n  "products": [\n    {\n      "pid": "p",\n      "name": "P",\n      "firmwareKeys": ${c.list}\n    }\n  ],\n  "channels": [{ "name": "main", "pid": "p", "firmwareKey": "new", "format": "raw", "artifact": "x.bin", "version": { "source": "git-describe" } }]\n}\n`;
      const [bind] = fixesFor(check(text), 'key-not-bound');
      assert.equal(bind!.title, 'Bind new to PID p');
      const { shared } = apply({ shared: text }, bind!);
      assert.equal(shared, text.replace(c.list, c.expected));
    });
  }

  it('a product without a firmwareKeys list gets one, formatted like the file', () => {
    const text = '{\n    "products": [\n        { "pid": "p", "name": "P" }\n    ],\n    "channels": [{ "name": "m", "pid": "p", "firmwareKey": "k", "format": "raw", "artifact": "x", "version": { "source": "git-describe" } }]\n}\n';
    const [bind] = fixesFor(check(text), 'key-not-bound');
    assert.equal(bind!.title, 'Bind k to PID p');
    const { shared, after } = apply({ shared: text }, bind!);
    assert.match(shared, /"firmwareKeys": \[\n\s+"k"\n\s+\]/);
    assert.deepEqual(after.diagnostics.filter((d) => d.code === 'key-not-bound'), []);
    assert.equal(after.config?.products[0]?.firmwareKeys[0], 'k');
  });

  it("a device's expected key gets the same fixes against its expected PID", () => {
    const text = sample.replace('"plug-key-2099"', '"plug-key-2024"').replace('"expect": { "pid": "plug01", "channel": "mian" }', '"expect": { "pid": "lamp02", "firmwareKey": "old-lamp" }');
    const fixes = fixesFor(check(text), 'key-not-bound');
    assert.deepEqual(fixes.map((f) => [f.title, f.preferred === true]), [
      ['Bind old-lamp to PID lamp02', true],
      ['Use bound key lamp-key', false],
    ]);
    const { shared } = apply({ shared: text }, fixes[0]!);
    assert.ok(shared.includes('"firmwareKeys": ["lamp-key", "old-lamp"]'));
  });

  it('tab-indented files get tabs in a new list', () => {
    const text = '{\n\t"products": [\n\t\t{ "pid": "p", "name": "P" }\n\t],\n\t"channels": [{ "name": "m", "pid": "p", "firmwareKey": "k", "format": "raw", "artifact": "x", "version": { "source": "git-describe" } }]\n}\n';
    const [bind] = fixesFor(check(text), 'key-not-bound');
    const { shared } = apply({ shared: text }, bind!);
    assert.ok(!/\n +"/.test(shared), `no space indentation: ${JSON.stringify(shared)}`);
    assert.match(shared, /\n\t+"firmwareKeys": \[\n\t+"k"\n\t+\]/);
  });

  it('CRLF files get CRLF in inserted lines', () => {
    const text = '{\r\n  "products": [{ "pid": "p", "name": "P", "firmwareKeys": [\r\n    "a"\r\n  ] }],\r\n  "channels": [{ "name": "m", "pid": "p", "firmwareKey": "b", "format": "raw", "artifact": "x", "version": { "source": "git-describe" } }]\r\n}\r\n';
    const [bind] = fixesFor(check(text), 'key-not-bound');
    assert.equal(apply({ shared: text }, bind!).shared, text.replace('"a"\r\n', '"a",\r\n    "b"\r\n'));
  });

  it('a product whose keys come from ota.local.json is bound in that file', () => {
    const shared = sample.replace('"plug-key-2099"', '"plug-key-2024"');
    const local = '{\n  // my bench keys\n  "products": [{ "pid": "plug01", "name": "Smart Plug", "firmwareKeys": ["bench-key"] }],\n  "channels": [{ "name": "main", "pid": "plug01", "firmwareKey": "other" }]\n}\n';
    const result = check(shared, local);
    const fixes = fixesFor(result, 'key-not-bound');
    assert.equal(fixes[0]!.title, 'Bind other to PID plug01');
    assert.deepEqual([...new Set(fixes[0]!.edits.map((e) => e.file))], [localFile]);
    const out = apply({ shared, local }, fixes[0]!);
    assert.equal(out.shared, shared);
    assert.equal(out.local, local.replace('["bench-key"]', '["bench-key", "other"]'));
    assert.deepEqual(out.after.diagnostics.filter((d) => d.code === 'key-not-bound'), []);
  });

  it('a device expecting a key bound to no PID offers binding to every product', () => {
    const text = sample.replace('"plug-key-2099"', '"plug-key-2024"').replace('"expect": { "pid": "plug01", "channel": "mian" }', '"expect": { "firmwareKey": "lamp-kye" }');
    const fixes = fixesFor(check(text), 'key-not-bound');
    assert.deepEqual(
      fixes.map((f) => f.title),
      ['Bind lamp-kye to PID plug01', 'Bind lamp-kye to PID lamp02', 'Use bound key lamp-key', 'Use bound key plug-key-2024', 'Use bound key plug-key-2023'],
    );
    assert.equal(fixes.find((f) => f.preferred)?.title, 'Use bound key lamp-key');
  });

  it('unknown PID, server, device and channel references offer the known names, closest first', () => {
    const result = check(sample);
    const titles = (code: string) => configProblems(result).filter((p) => p.issue.code === code).map((p) => configFixes(result, p).map((f) => f.title));
    assert.deepEqual(titles('unknown-pid'), [['Change to plug01', 'Change to lamp02']]);
    assert.deepEqual(titles('unknown-server'), [['Change to local', 'Change to lab']]);
    assert.deepEqual(titles('unknown-device'), [['Change to bench', 'Change to desk']]);
    assert.deepEqual(titles('unknown-channel'), [['Change to main']]);
  });

  it('"Change to" fixes the reference and nothing else', () => {
    const result = check(sample);
    for (const code of ['unknown-pid', 'unknown-server', 'unknown-device', 'unknown-channel']) {
      const [first] = fixesFor(result, code);
      assert.equal(first!.preferred, true, `${code}: closest is one edit away`);
      const { shared, after } = apply({ shared: sample }, first!);
      assert.ok(!after.diagnostics.some((d) => d.code === code), `${code} fixed`);
      assert.equal(shared.length, sample.length + first!.edits.reduce((n, e) => n + e.content.length - e.length, 0));
      assert.ok(shared.startsWith('// shared OTA config'));
    }
  });

  it('a literal credential moves to Secret Storage under a name from its server, with the value kept out of the text', () => {
    const local = '{\n  // personal\n  "servers": [{ "type": "hawkbit", "name": "hb", "url": "https://hb.example", "tenant": "DEFAULT", "credential": "hunter2" },],\n}\n';
    const shared = sample.replace('"plug-key-2099"', '"plug-key-2024"');
    const [fix, ...more] = fixesFor(check(shared, local), 'literal-secret');
    assert.equal(more.length, 0);
    assert.equal(fix!.title, 'Move to Secret Storage as ${secret:hb-credential}');
    assert.deepEqual(fix!.storeSecret, { name: 'hb-credential', value: 'hunter2' });
    assert.ok(!fix!.title.includes('hunter2'));
    const out = apply({ shared, local }, fix!);
    assert.equal(out.local, local.replace('"hunter2"', '"${secret:hb-credential}"'));
    assert.deepEqual(out.after.diagnostics.filter((d) => d.stage === 'secret'), []);
  });

  it('a credential-named build variable moves under its own name', () => {
    const text = sample.replace('"plug-key-2099"', '"plug-key-2024"').replace('"format": "esp-idf",', '"format": "esp-idf", "build": { "command": "make", "env": { "API_TOKEN": "abc123" } },');
    const [fix] = fixesFor(check(text), 'literal-secret');
    assert.deepEqual(fix!.storeSecret, { name: 'API_TOKEN', value: 'abc123' });
    assert.ok(apply({ shared: text }, fix!).shared.includes('"API_TOKEN": "${secret:API_TOKEN}"'));
  });

  it('`ota init` placeholders get no fix', () => {
    const text = '{\n  "products": [{ "pid": "YOUR_PID", "name": "P", "firmwareKeys": ["YOUR_FIRMWARE_KEY"] }]\n}\n';
    const result = check(text);
    const placeholders = configProblems(result).filter((p) => p.issue.code === 'placeholder');
    assert.equal(placeholders.length, 2);
    assert.deepEqual(placeholders.flatMap((p) => configFixes(result, p)), []);
  });

  it('problems carry the same ranges as the diagnostics the editor shows', () => {
    const result = check(sample);
    const shown = result.diagnostics.filter((d) => d.stage === 'semantic' || d.stage === 'secret').map((d) => [d.code, d.offset, d.length]);
    const problems = configProblems(result).map((p) => [p.diagnostic.code, p.diagnostic.offset, p.diagnostic.length]);
    assert.deepEqual(new Set(problems.map((p) => JSON.stringify(p))), new Set(shown.map((p) => JSON.stringify(p))));
  });

  it('a config that does not parse has no problems to fix', () => {
    assert.deepEqual(configProblems(check('{ "products": [ }')), []);
  });
});

describe('config fixes: remote servers over plain HTTP', () => {
  const text = `{
  "products": [], "channels": [],
  "servers": [
    { "type": "hawkbit", "name": "cloud", "url": "http://hawkbit.example.com:8443", "tenant": "DEFAULT", "username": "ci", "credential": "\${env:HB}" },
    { "type": "hawkbit", "name": "lab", "url": "http://127.0.0.1:8080", "tenant": "DEFAULT", "credential": "\${env:HB}" },
    { "type": "ota-workbench", "name": "team", "url": "https://ota.example.com", "token": "\${secret:team}", "ca": "certs/ca.pem" }
  ]
}`;

  it('flags a remote hawkBit over http:// (not loopback) and offers https://', () => {
    const result = check(text);
    const problems = configProblems(result).filter((p) => p.issue.code === 'insecure-server-url');
    assert.equal(problems.length, 1, 'loopback and https are fine');
    assert.match(problems[0]!.issue.message, /servers\[0\]\.url: credentials would travel in clear text to hawkbit\.example\.com:8443/);
    const [fix] = fixesFor(result, 'insecure-server-url');
    assert.equal(fix!.title, 'Use https://hawkbit.example.com:8443');
    const fixed = apply({ shared: text }, fix!);
    assert.equal(configProblems(fixed.after).filter((p) => p.issue.code === 'insecure-server-url').length, 0);
    assert.equal(fixed.after.config?.servers[0]?.type === 'hawkbit' && fixed.after.config.servers[0].softwareModuleType, 'os', 'defaults filled');
    const team = fixed.after.config?.servers[2];
    assert.equal(team?.type === 'ota-workbench' && team.ca, 'certs/ca.pem');
  });

  it('rejects a poll interval of 0 and an unknown field in a hawkBit entry', () => {
    const bad = text.replace('"tenant": "DEFAULT", "username"', '"tenant": "DEFAULT", "pollIntervalSeconds": 0, "moduleType": "os", "username"');
    const messages = check(bad).diagnostics.map((d) => d.message).join('\n');
    assert.match(messages, /pollIntervalSeconds/);
    assert.match(messages, /moduleType/);
  });
});

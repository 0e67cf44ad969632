import * as assert from 'node:assert/strict';
import { check, expectedPosition } from './helpers';

/**
 * Each case marks with `§` where the first diagnostic must start. The base text is a valid config,
 * so each case breaks exactly one thing.
 */
interface Case {
  name: string;
  text: string;
  code: string;
  message: RegExp;
}

const product = '{ "pid": "p1", "name": "Plug", "firmwareKeys": ["k1"] }';
const channel = (over = '') => `{ "name": "main", "pid": "p1", "firmwareKey": "k1", "format": "esp-idf", "artifact": "build/app.bin", "version": { "source": "image" }${over} }`;
const doc = (body: string) => `{\n  "products": [${product}],\n${body}\n}\n`;

const cases: Case[] = [
  // Syntax
  { name: 'missing comma between properties', text: `{\n  "products": []\n  §"channels": []\n}`, code: 'syntax-CommaExpected', message: /expected ','/ },
  { name: 'missing colon', text: `{\n  "products" §[]\n}`, code: 'syntax-ColonExpected', message: /expected ':'/ },
  { name: 'unterminated string', text: `{ "products": [], "channels": §"abc\n}`, code: 'syntax-UnexpectedEndOfString', message: /closing double quote/ },
  { name: 'unclosed object', text: `{ "products": [], "channels": [] §`, code: 'syntax-CloseBraceExpected', message: /expected '}'/ },
  { name: 'unclosed array', text: `{ "products": [ ${product} §}`, code: 'syntax-CommaExpected', message: /expected ','/ },
  { name: 'single-quoted key', text: `{ §'products': [] }`, code: 'syntax-InvalidSymbol', message: /unexpected character/ },
  { name: 'garbage after the object', text: `{ "products": [], "channels": [] }\n§x`, code: 'syntax-InvalidSymbol', message: /unexpected character/ },
  { name: 'missing value', text: `{ "products": §}`, code: 'syntax-ValueExpected', message: /expected a value/ },
  { name: 'unterminated block comment', text: `{ "products": [], "channels": [] } §/* note`, code: 'syntax-UnexpectedEndOfComment', message: /expected '\*\/'/ },
  { name: 'bad escape', text: `{ "products": [], "channels": [], "defaultServer": §"a\\q" }`, code: 'syntax-InvalidEscapeCharacter', message: /invalid escape/ },
  { name: 'empty file', text: `§`, code: 'empty', message: /empty: expected a JSON object/ },
  { name: 'only a comment', text: `§// nothing yet\n`, code: 'empty', message: /empty/ },
  // Schema: types, required, enums, unknown keys
  { name: 'top level is an array', text: `§[]`, code: 'type', message: /\(top level\): expected an object/ },
  { name: 'channels is a number', text: `{ "products": [], "channels": §3 }`, code: 'type', message: /channels: expected an array \[ … \], found the number 3/ },
  { name: 'missing channels', text: `§{ "products": [] }`, code: 'required', message: /missing required property "channels"/ },
  { name: 'product without pid', text: `{\n  "products": [§{ "name": "x", "firmwareKeys": ["k"] }],\n  "channels": []\n}`, code: 'required', message: /products\[0\]: missing required property "pid": expected a string — The product id/ },
  { name: 'product with no key', text: `{ "products": [{ "pid": "p", "name": "x", "firmwareKeys": §[] }], "channels": [] }`, code: 'min-items', message: /firmwareKeys: expected at least 1 entry/ },
  { name: 'key listed twice', text: `{ "products": [{ "pid": "p", "name": "x", "firmwareKeys": ["a", §"a"] }], "channels": [] }`, code: 'duplicate-item', message: /firmwareKeys\[1\]: "a" is listed twice/ },
  { name: 'empty PID', text: `{ "products": [{ "pid": §"", "name": "x", "firmwareKeys": ["a"] }], "channels": [] }`, code: 'min-length', message: /products\[0\]\.pid: expected a non-empty string/ },
  { name: 'unknown image format with suggestion', text: doc(`  "channels": [{ "name": "main", "pid": "p1", "firmwareKey": "k1", "format": §"mcuboott", "artifact": "a.bin", "version": { "source": "image" } }]`), code: 'enum', message: /format: expected one of "esp-idf", "mcuboot", "raw", found "mcuboott" \(did you mean "mcuboot"\?\)/ },
  { name: 'unknown property with suggestion', text: doc(`  "channels": [${channel(', §"artefact": "x"')}]`), code: 'unknown-property', message: /unknown property "artefact" \(did you mean "artifact"\?\)/ },
  { name: 'unknown top-level property', text: doc(`  "channels": [],\n  §"timeout": {}`), code: 'unknown-property', message: /did you mean "timeouts"/ },
  { name: 'unknown version source', text: doc(`  "channels": [{ "name": "main", "pid": "p1", "firmwareKey": "k1", "format": "raw", "artifact": "a.bin", "version": { "source": §"tag" } }]`), code: 'enum', message: /version\.source: expected one of "image", "file", "git-describe", "fixed"/ },
  { name: 'file version without regex', text: doc(`  "channels": [{ "name": "main", "pid": "p1", "firmwareKey": "k1", "format": "raw", "artifact": "a.bin", §"version": { "source": "file", "file": "v.txt" } }]`), code: 'required', message: /missing required property "regex"/ },
  { name: 'server without type', text: doc(`  "channels": [],\n  "servers": [§{ "name": "s" }]`), code: 'required', message: /servers\[0\]: missing required property "type": expected one of "local", "ota-workbench", "hawkbit"/ },
  { name: 'port out of range', text: doc(`  "channels": [],\n  "servers": [{ "type": "local", "name": "s", "port": §70000 }]`), code: 'maximum', message: /port: expected a number ≤ 65535/ },
  { name: 'port as a string', text: doc(`  "channels": [],\n  "servers": [{ "type": "local", "name": "s", "port": §"8080" }]`), code: 'type', message: /port: expected a whole number, found "8080"/ },
  { name: 'fractional baud', text: doc(`  "channels": [],\n  "devices": [{ "name": "d", "deviceId": "x", "serial": { "path": "/dev/ttyUSB0", "baud": §1.5 } }]`), code: 'type', message: /baud: expected a whole number/ },
  { name: 'url without scheme', text: doc(`  "channels": [],\n  "servers": [{ "type": "ota-workbench", "name": "s", "url": §"ota.example.com", "token": "\${env:T}" }]`), code: 'pattern', message: /Expected an http:\/\/ or https:\/\/ URL/ },
  { name: 'bad channel name', text: doc(`  "channels": [${channel().replace('"main"', '§"main channel"')}]`), code: 'pattern', message: /Use letters, digits/ },
  { name: 'zero offline timeout', text: doc(`  "channels": [],\n  "timeouts": { "offlineSeconds": §0 }`), code: 'minimum', message: /offlineSeconds: expected a number ≥ 1/ },
  { name: 'duplicate property', text: doc(`  "channels": [],\n  "defaultServer": "a",\n  §"defaultServer": "b",\n  "servers": [{ "type": "local", "name": "b" }]`), code: 'duplicate-property', message: /written twice/ },
  { name: 'null where an object belongs', text: doc(`  "channels": [],\n  "timeouts": §null`), code: 'type', message: /timeouts: expected an object \{ … \}, found null/ },
  // Semantic
  { name: 'key not bound to the PID', text: doc(`  "channels": [${channel().replace('"firmwareKey": "k1"', '"firmwareKey": §"k2"')}]`), code: 'key-not-bound', message: /channels\[0\]\.firmwareKey: firmware key "k2" is not bound to PID "p1" \(bound: "k1"\)/ },
  { name: 'unknown PID', text: doc(`  "channels": [${channel().replace('"pid": "p1"', '"pid": §"p9"')}]`), code: 'unknown-pid', message: /no product has PID "p9": expected one of "p1"/ },
  { name: 'duplicate PID', text: `{ "products": [${product}, { "pid": §"p1", "name": "b", "firmwareKeys": ["k"] }], "channels": [] }`, code: 'duplicate-products', message: /products\[1\]\.pid: this PID is already used by products\[0\]/ },
  { name: 'duplicate channel for one PID', text: doc(`  "channels": [${channel()}, ${channel().replace('"name": "main"', '"name": §"main"').replace('build/app.bin', 'build/b.bin')}]`), code: 'duplicate-channels', message: /channels\[1\]\.name: this channel name for the same PID is already used by channels\[0\]/ },
  { name: 'two channels writing one artifact', text: doc(`  "channels": [${channel()}, ${channel().replace('"main"', '"mcu"').replace('"build/app.bin"', '§"./build//app.bin"')}]`), code: 'shared-artifact', message: /"\.\/build\/\/app\.bin" is also the artifact of channels\[0\]/ },
  { name: 'invalid semver', text: doc(`  "channels": [${channel().replace('{ "source": "image" }', '{ "source": "fixed", "value": §"1.02.3" }')}]`), code: 'invalid-semver', message: /"1\.02\.3" is not a semantic version/ },
  { name: 'invalid version regex', text: doc(`  "channels": [${channel().replace('{ "source": "image" }', '{ "source": "file", "file": "v", "regex": §"(unclosed" }')}]`), code: 'invalid-regex', message: /not a valid regular expression/ },
  { name: 'duplicate server name', text: doc(`  "channels": [],\n  "servers": [{ "type": "local", "name": "s" }, { "type": "local", "name": §"s", "port": 9000 }]`), code: 'duplicate-servers', message: /servers\[1\]\.name: this server name is already used by servers\[0\]/ },
  { name: 'unknown default server', text: doc(`  "channels": [],\n  "servers": [{ "type": "local", "name": "local" }],\n  "defaultServer": §"cloud"`), code: 'unknown-server', message: /defaultServer: no server is named "cloud": expected one of "local"/ },
  { name: 'unknown device server', text: doc(`  "channels": [],\n  "devices": [{ "name": "d", "deviceId": "x", "server": §"nowhere" }]`), code: 'unknown-server', message: /devices\[0\]\.server: no server is named "nowhere": expected one of \(none\)/ },
  { name: 'unknown default device', text: doc(`  "channels": [],\n  "devices": [{ "name": "d", "deviceId": "x" }],\n  "defaultDevice": §"e"`), code: 'unknown-device', message: /no device is named "e": expected one of "d"/ },
  { name: 'duplicate device id', text: doc(`  "channels": [],\n  "devices": [{ "name": "d", "deviceId": "x" }, { "name": "e", "deviceId": §"x" }]`), code: 'duplicate-devices', message: /devices\[1\]\.deviceId: this device id is already used by devices\[0\]/ },
  { name: 'device expects a key not bound', text: doc(`  "channels": [],\n  "devices": [{ "name": "d", "deviceId": "x", "expect": { "pid": "p1", "firmwareKey": §"old" } }]`), code: 'key-not-bound', message: /expect\.firmwareKey: firmware key "old" is not bound to PID "p1"/ },
  { name: 'device expects an unknown channel', text: doc(`  "channels": [${channel()}],\n  "devices": [{ "name": "d", "deviceId": "x", "expect": { "pid": "p1", "channel": §"ble" } }]`), code: 'unknown-channel', message: /no channel "ble" for PID "p1": expected one of "main"/ },
  // Secrets
  { name: 'literal hawkBit password', text: doc(`  "channels": [],\n  "servers": [{ "type": "hawkbit", "name": "h", "url": "https://h", "tenant": "DEFAULT", "credential": §"hunter2" }]`), code: 'literal-secret', message: /servers\[0\]\.credential holds a literal credential: expected a reference such as "\$\{secret:NAME\}"/ },
  { name: 'literal server token', text: doc(`  "channels": [],\n  "servers": [{ "type": "ota-workbench", "name": "s", "url": "https://s", "token": §"eyJhbGciOi" }]`), code: 'literal-secret', message: /servers\[0\]\.token holds a literal credential.*Secret Storage/ },
  { name: 'private key pasted as signing key', text: doc(`  "channels": [${channel(', "signing": { "key": §"-----BEGIN EC PRIVATE KEY-----\\nMHcC\\n-----END EC PRIVATE KEY-----", "format": "mcuboot" }')}]`), code: 'inline-private-key', message: /channels\[0\]\.signing\.key contains a private key/ },
  { name: 'security counter neither auto nor a number', text: doc(`  "channels": [${channel(', "signing": { "key": "k.pem", "format": "mcuboot", "securityCounter": §"later" }')}]`), code: 'pattern', message: /channels\[0\]\.signing\.securityCounter: expected "auto" or a whole number from 0 to 4294967295\. Found "later"/ },
  { name: 'security counter past 32 bits', text: doc(`  "channels": [${channel(', "signing": { "key": "k.pem", "format": "mcuboot", "securityCounter": §4294967296 }')}]`), code: 'maximum', message: /securityCounter: expected a number ≤ 4294967295, found 4294967296/ },
  { name: 'security counter on a manifest-signed channel', text: doc(`  "channels": [${channel(', "signing": { "key": "k.pem", "format": "manifest", "securityCounter": §"auto" }')}]`), code: 'counter-without-mcuboot', message: /a security counter is an MCUboot TLV, but this channel signs a detached manifest/ },
  { name: 'log rule with a broken regex', text: doc(`  "channels": [],\n  "devices": [{ "name": "d", "deviceId": "x", "logRules": [{ "name": "banner", "pattern": §"fw=(?<version>\\\\S+" }] }]`), code: 'invalid-regex', message: /devices\[0\]\.logRules\[0\]\.pattern: not a valid regular expression/ },
  { name: 'log rule with an unknown kind', text: doc(`  "channels": [],\n  "devices": [{ "name": "d", "deviceId": "x", "logRules": [{ "name": "banner", "pattern": "fw", "kind": §"ota-begin" }] }]`), code: 'enum', message: /logRules\[0\]\.kind: expected one of .*"ota-start"/ },
  { name: 'literal token in build env', text: doc(`  "channels": [${channel(', "build": { "command": "make", "env": { "API_TOKEN": §"abc123" } }')}]`), code: 'literal-secret', message: /channels\[0\]\.build\.env\.API_TOKEN holds a literal credential/ },
];

describe('malformed configs', () => {
  for (const c of cases) {
    it(`${c.name}: ${c.code} at the marked position`, () => {
      const at = c.text.indexOf('§');
      assert.ok(at >= 0, 'case has a § marker');
      const text = c.text.replace('§', '');
      const result = check(text);
      assert.equal(result.config, undefined, 'a broken config yields no model');
      const first = result.diagnostics.find((d) => d.code === c.code);
      assert.ok(first, `expected ${c.code}, got ${result.diagnostics.map((d) => `${d.code}: ${d.message}`).join(' | ')}`);
      const expected = expectedPosition(text, at);
      assert.deepEqual({ line: first.line, column: first.column }, expected, first.message);
      assert.match(first.message, c.message);
      assert.equal(first.file, '/ws/.vscode/ota.json');
    });
  }
});

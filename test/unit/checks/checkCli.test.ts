import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { ota } from '../cli/inProcess';
import { fixturePath } from '../../helpers/fixtures';


describe('ota check', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ota-check-'));
    await fs.cp(fixturePath('workspace'), dir, { recursive: true });
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('passes on the sample workspace', async () => {
    const r = await ota(dir, 'check');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'ok: 3 declarations in 4 source files checked against .vscode/ota.json: 0 problems\n');
  });

  it('prints file:line:col for a mismatched key and channel and exits 1', async () => {
    const main = path.join(dir, 'main', 'main.c');
    await fs.writeFile(main, (await fs.readFile(main, 'utf8')).replace('"plug-key-2024"', '"plug-key-1999"'));
    await fs.writeFile(path.join(dir, 'sdkconfig.defaults'), 'CONFIG_APP_PROJECT_VER="1.0.0"\nCONFIG_OTA_CHANNEL="ble"\n');
    const r = await ota(dir, 'check');
    assert.equal(r.code, 1);
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0]!, /^main\/main\.c:10:20: error: OTA_FW_KEY: firmware key "plug-key-1999" is not bound to PID "plug01", which channel "main" uses/);
    assert.match(lines[1]!, /^sdkconfig\.defaults:2:20: error: CONFIG_OTA_CHANNEL: channel "ble" does not exist for PID "plug01" \(channels: "main"\)/);
    assert.equal(r.stdout, '4 declarations in 4 source files checked against .vscode/ota.json: 2 problems\n');
  });

  it('--json lists declarations and problems with their fixes', async () => {
    const main = path.join(dir, 'main', 'main.c');
    await fs.writeFile(main, (await fs.readFile(main, 'utf8')).replace('"plug-key-2024"', '"plug-key-1999"'));
    const r = await ota(path.join(dir, 'main'), 'check', '..', '--json');
    assert.equal(r.code, 1);
    const out = JSON.parse(r.stdout) as { ok: boolean; files: number; declarations: unknown[]; problems: { file: string; line: number; column: number; code: string; fixes: string[] }[] };
    assert.equal(out.ok, false);
    assert.equal(out.declarations.length, 3);
    assert.deepEqual(out.problems.map((p) => [p.file, p.line, p.column, p.code, p.fixes]), [
      [main, 10, 20, 'key-not-bound', ['Bind plug-key-1999 to PID plug01 in ota.json', "Change to the channel's key plug-key-2024", 'Use bound key plug-key-2023']],
    ]);
  });

  it('uses the macro names the config gives in sourceNames', async () => {
    const configFile = path.join(dir, '.vscode', 'ota.json');
    const config = await fs.readFile(configFile, 'utf8');
    await fs.writeFile(configFile, config.replace('"defaultServer": "local"', '"defaultServer": "local",\n  "sourceNames": { "firmwareKey": ["FW_KEY"] }'));
    await fs.writeFile(path.join(dir, 'main', 'ids.h'), '#define FW_KEY "unbound"\n');
    const r = await ota(dir, 'check', '--json');
    const out = JSON.parse(r.stdout) as { problems: { file: string; message: string }[]; declarations: { name: string }[] };
    assert.deepEqual(out.declarations.map((d) => d.name).sort(), ['FW_KEY', 'OTA_CHANNEL', 'OTA_PID']);
    assert.deepEqual(out.problems.map((p) => path.basename(p.file)), ['ids.h']);
    assert.equal(r.code, 1);
    assert.equal((await ota(dir, 'config', 'validate')).code, 0, 'sourceNames is valid config');
  });

  it('a config that does not parse, a missing config and bad usage', async () => {
    await fs.writeFile(path.join(dir, '.vscode', 'ota.json'), '{ "products": [ ');
    const broken = await ota(dir, 'check', '--json');
    assert.equal(broken.code, 1);
    assert.match(JSON.parse(broken.stdout).error.hint as string, /ota config validate/);
    const empty = await fs.mkdtemp(path.join(os.tmpdir(), 'ota-check-empty-'));
    try {
      await assert.rejects(ota(empty, 'check'), /no OTA config/);
    } finally {
      await fs.rm(empty, { recursive: true, force: true });
    }
    assert.equal((await ota(dir, 'check', '--fix=all')).code, 2);
    assert.equal((await ota(dir, 'check', 'a', 'b')).code, 2);
  });
});

import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { ParsedArgs } from '../../../src/cli/args';
import { stringFlag } from '../../../src/cli/args';
import type { CommandSpec } from '../../../src/cli/command';
import { commandSpecs } from '../../../src/cli/commandTable';
import { buildProgram } from '../../../src/cli/program';
import { keyKinds } from '../../../src/core/signing/keyKind';
import { productVersion } from '../../../src/core/product';
import { ota } from './inProcess';

/** What the parser hands a command for ARGV, without running the command. */
async function parse(...argv: string[]): Promise<{ spec: CommandSpec; parsed: ParsedArgs; stderr: string }> {
  const stderr = new PassThrough();
  let text = '';
  stderr.on('data', (b: Buffer) => (text += b.toString()));
  let selected: { spec: CommandSpec; parsed: ParsedArgs } | undefined;
  const program = buildProgram({ cwd: process.cwd(), env: {}, stdout: new PassThrough(), stderr }, (s) => (selected = s));
  await program.parseAsync(argv, { from: 'user' });
  assert.ok(selected, `no command ran for ${argv.join(' ')}`);
  return { ...selected, stderr: text };
}

/** The visible long options of a command, as its help should list them. */
function visibleLongOptions(spec: CommandSpec): string[] {
  return spec.options.filter((o) => !o.aliasOf).map((o) => /--[a-z0-9-]+/.exec(o.flags)![0]);
}

describe('cli parser (commander)', () => {
  it('reads --name value, --name=value, -k value and flags without a value, by long name', async () => {
    const { spec, parsed } = await parse('sign', 'in.bin', '--version', '1.2.3', '--align=4', '-k', 'key.pem', '--json', '-o', 'out.bin');
    assert.equal(spec.path.join(' '), 'sign');
    assert.deepEqual(parsed.positionals, ['in.bin']);
    assert.equal(stringFlag(parsed, 'version'), '1.2.3');
    assert.equal(stringFlag(parsed, 'align'), '4');
    assert.equal(stringFlag(parsed, 'signing-key'), 'key.pem');
    assert.equal(stringFlag(parsed, 'output'), 'out.bin');
    assert.equal(parsed.flags.get('json'), true);
    assert.equal(parsed.flags.has('pad'), false);
  });

  it('keeps everything after -- as positionals, reads --no-build and repeated options', async () => {
    assert.deepEqual((await parse('check', '--', '--not-a-flag')).parsed.positionals, ['--not-a-flag']);
    assert.equal((await parse('release', 'create', '--no-build')).parsed.flags.get('no-build'), true);
    assert.equal((await parse('release', 'create')).parsed.flags.has('no-build'), false);
    assert.deepEqual((await parse('simulate', '--fault', 'flip@10', '--fault', 'wrong-key')).parsed.lists.get('fault'), ['flip@10', 'wrong-key']);
  });

  it('picks the longest command path: version, version show, image info', async () => {
    assert.equal((await parse('version')).spec.path.join(' '), 'version');
    assert.equal((await parse('version', 'show', '--json')).spec.path.join(' '), 'version show');
    assert.equal((await parse('image', 'info', 'x.bin')).spec.path.join(' '), 'image info');
  });

  it('reads the old spellings --key (and ca --out) as hidden aliases, with a warning', async () => {
    const push = await parse('push', 'f.bin', '--key', 'K1');
    assert.equal(stringFlag(push.parsed, 'fw-key'), 'K1');
    assert.match(push.stderr, /^warning: --key is the old spelling of --fw-key/);
    const sign = await parse('sign', 'in.bin', '--key', 'k.pem');
    assert.equal(stringFlag(sign.parsed, 'signing-key'), 'k.pem');
    assert.equal(stringFlag((await parse('ca', '--out', 'ca.pem')).parsed, 'output'), 'ca.pem');
    const both = await parse('bind', '--key', 'OLD', '--fw-key', 'NEW');
    assert.equal(stringFlag(both.parsed, 'fw-key'), 'NEW', 'the new spelling wins');
  });

  it('every command answers --help with exit 0, one line per option, hidden aliases left out', async () => {
    for (const spec of commandSpecs) {
      const run = await ota(process.cwd(), ...spec.path, '--help');
      const name = spec.path.join(' ');
      assert.equal(run.code, 0, `${name} --help: ${run.stderr}`);
      assert.match(run.stdout, new RegExp(`^Usage: ota ${name}`), name);
      const lines = run.stdout.split('\n');
      for (const long of visibleLongOptions(spec)) {
        assert.ok(lines.some((l) => new RegExp(`^  (-\\w, )?${long}\\b`).test(l)), `${name} --help lists ${long}`);
      }
      for (const alias of spec.options.filter((o) => o.aliasOf)) assert.ok(!run.stdout.includes(`${alias.flags.split(' ')[0]} `), `${name} --help hides ${alias.flags}`);
      assert.equal(run.stderr, '');
    }
  });

  it('wraps help to the terminal width (80 columns off a terminal, or $COLUMNS)', async () => {
    const runs = [await ota(process.cwd(), '--help'), ...(await Promise.all(commandSpecs.map((s) => ota(process.cwd(), 'help', ...s.path))))];
    for (const run of runs) for (const line of run.stdout.split('\n')) assert.ok(line.length <= 80, `${line.length} columns: ${line}`);
  });

  it('ota help CMD prints the same help as ota CMD --help; ota --version and ota version print the version', async () => {
    const viaHelp = await ota(process.cwd(), 'help', 'push');
    assert.equal(viaHelp.code, 0);
    assert.equal(viaHelp.stdout, (await ota(process.cwd(), 'push', '--help')).stdout);
    assert.equal((await ota(process.cwd(), 'help', 'image', 'info')).stdout, (await ota(process.cwd(), 'image', 'info', '-h')).stdout);
    for (const argv of [['--version'], ['-V'], ['version']]) assert.deepEqual(await ota(process.cwd(), ...argv), { code: 0, stdout: `ota-workbench ${productVersion}\n`, stderr: '' });
    const top = await ota(process.cwd(), '--help');
    assert.equal(top.code, 0);
    for (const name of ['OTA_SERVER_URL', 'OTA_SERVER_TOKEN', 'OTA_KEY_PASSPHRASE']) assert.match(top.stdout, new RegExp(`^  ${name} `, 'm'));
    assert.match(top.stdout, /^Exit codes:\n {3}0 /m);
  });

  it('an unknown option exits 2 and names it, for every command', async () => {
    for (const spec of commandSpecs) {
      const run = await ota(process.cwd(), ...spec.path, '--no-such-option');
      assert.equal(run.code, 2, spec.path.join(' '));
      assert.match(run.stderr, /^error: unknown option '--no-such-option'/, spec.path.join(' '));
      assert.equal(run.stdout, '');
    }
  });

  it('usage problems exit 2 and say what is wrong: a missing value, argument or command, a bad choice', async () => {
    const cases: [string[], RegExp][] = [
      [['serve', '--port'], /^error: option '--port <P>' argument missing/],
      [['sign'], /^error: missing required argument 'IN'/],
      [['ca', '--format', 'der'], /^error: option '--format <F>' argument 'der' is invalid\. Allowed choices are pem, c\./],
      [['no-such-command'], /^error: unknown command 'no-such-command'/],
      [['help', 'no-such-command'], /^error: unknown command 'no-such-command'/],
      [['config', 'validate', 'a', 'b'], /^error: too many arguments/],
      [['push', 'f.bin', '--fw-key', 'K', '--devices', 'd1'], /^error: --devices, --forced, --download-only, --time-forced and --window-\* only make sense with --deploy\n\(ota push --help lists its options\)/],
      [['deploy'], /^error: missing required argument 'RELEASE'/],
      [['rollout', 'create', '7', '--groups', '2'], /^error: --name is missing\n\(ota rollout create --help lists its options\)/],
      [['completion', 'fish'], /^error: no completion for shell 'fish'/],
      [[], /^Usage: ota COMMAND/],
      [['image'], /^Usage: ota image/],
    ];
    for (const [argv, expected] of cases) {
      const run = await ota(process.cwd(), ...argv);
      assert.equal(run.code, 2, argv.join(' '));
      assert.match(run.stderr, expected, argv.join(' '));
    }
  });

  it("key generate offers exactly the signer's key types", () => {
    const type = commandSpecs.find((s) => s.path.join(' ') === 'key generate')!.options.find((o) => o.flags.includes('--type'))!;
    assert.deepEqual([...type.choices!].sort(), [...keyKinds].sort());
  });
});

describe('cli start-up', () => {
  it('loads only the chosen command: ota version reads no signing, server or serial code', () => {
    // A fresh process, so nothing an earlier test loaded is counted.
    const script = `
      const { runOta } = require(${JSON.stringify(require.resolve('../../../src/cli/program'))});
      const { PassThrough } = require('node:stream');
      runOta(['version'], { cwd: process.cwd(), env: {}, stdout: new PassThrough(), stderr: process.stderr }).then((code) => {
        const src = ${JSON.stringify(join(__dirname, '..', '..', '..', 'src'))};
        const loaded = Object.keys(require.cache).filter((f) => f.startsWith(src)).map((f) => relative(src, f).split(sep).join('/'));
        console.log(JSON.stringify({ code, loaded }));
      });
      const { relative, sep } = require('node:path');`;
    const { code, loaded } = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as { code: number; loaded: string[] };
    assert.equal(code, 0);
    assert.deepEqual(loaded.filter((f) => f.startsWith('cli/commands/')), ['cli/commands/version.js']);
    assert.deepEqual(loaded.filter((f) => /^(server|device\/serial|providers|extension)\/|^core\/(signing|image|release|config)\//.test(f)), []);
  });
});

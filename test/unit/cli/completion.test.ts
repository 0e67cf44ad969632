import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { commandSpecs } from '../../../src/cli/commandTable';
import { completionScript } from '../../../src/cli/completion';
import { requireTools } from '../../helpers/tools';

/** What bash's completion offers for the words typed so far (the last one being completed). */
function complete(script: string, words: string[]): string[] {
  const program = `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _ota; printf '%s\\n' "\${COMPREPLY[@]}"`;
  return execFileSync('bash', ['--norc', '--noprofile', '-c', program], { encoding: 'utf8' }).split('\n').filter(Boolean);
}

describe('ota completion', () => {
  const bash = completionScript('bash', commandSpecs);

  it('bash: commands, subcommands, options, choices; old spellings are not offered', () => {
    assert.deepEqual(complete(bash, ['ota', 'si']), ['sign', 'simulate']);
    assert.deepEqual(complete(bash, ['ota', 'image', '']), ['info', 'restamp']);
    assert.deepEqual(complete(bash, ['ota', 'version', 's']), ['show']);
    assert.deepEqual(complete(bash, ['ota', 'help', 'pu']), ['push']);
    assert.deepEqual(complete(bash, ['ota', 'push', 'fw.bin', '--fw']), ['--fw-key']);
    assert.deepEqual(complete(bash, ['ota', 'push', '--key']), [], 'the hidden alias is not completed');
    assert.deepEqual(complete(bash, ['ota', 'sign', '--signing']), ['--signing-key']);
    assert.deepEqual(complete(bash, ['ota', 'image', 'info', 'x.bin', '--format', '']), ['auto', 'esp-idf', 'mcuboot', 'raw']);
    assert.deepEqual(complete(bash, ['ota', 'ca', '--format', 'p']), ['pem']);
    assert.deepEqual(complete(bash, ['ota', '--ver']), ['--version', '--verbose']);
    // A value that is a path: nothing from us, so bash falls back to file names (complete -o default).
    assert.deepEqual(complete(bash, ['ota', 'sign', 'in.bin', '-k', '']), []);
  });

  it('offers every visible long option of every command', () => {
    for (const spec of commandSpecs) {
      const offered = complete(bash, ['ota', ...spec.path, '--']);
      for (const option of spec.options.filter((o) => !o.aliasOf)) {
        const long = /--[a-z0-9-]+/.exec(option.flags)![0];
        assert.ok(offered.includes(long), `${spec.path.join(' ')} ${long}`);
      }
    }
  });

  it('zsh: the same function through bashcompinit, as a #compdef file', function () {
    const zsh = completionScript('zsh', commandSpecs);
    assert.match(zsh, /^#compdef ota\n/);
    assert.match(zsh, /bashcompinit/);
    requireTools(this, 'zsh');
    // Outside a completion widget zsh cannot complete, so this checks what it can: the script loads
    // in a real zsh and registers _ota through bashcompinit (whose run of it is the bash one above).
    const out = execFileSync('zsh', ['-f', '-c', `autoload -U compinit && compinit -u; ${zsh}\nwhence -w _ota; print -r -- "$_comps[ota]"`], { encoding: 'utf8' });
    assert.equal(out, '_ota: function\n_bash_complete -o default -F _ota\n');
  });
});

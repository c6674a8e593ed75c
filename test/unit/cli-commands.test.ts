// What each command takes (src/cli/commands.ts): every option the README's CLI section shows for a command
// is taken by it, and what a command does not take is refused by name, with where it belongs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/cli';
import { checkTaken, commandOf, COMMANDS } from '../../src/cli/commands';

/** The README's CLI block, one `hone ...` usage per entry (`hone tag ...; hone note ...` are two), comments cut. */
function readmeUsages(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const block = readme.slice(readme.indexOf('## The CLI')).split('```sh\n')[1].split('```')[0];
  return block.split('\n').map((l) => l.split('#')[0]).flatMap((l) => l.split(';')).map((l) => l.trim()).filter((l) => l.startsWith('hone '));
}

test("every option the README's CLI section shows is taken by its command", () => {
  const usages = readmeUsages();
  assert.ok(usages.length >= 25, `${usages.length} usages`);
  for (const usage of usages) {
    const words = usage.split(/\s+/).slice(1);
    const c = commandOf(words);
    assert.ok(c, `no command for: ${usage}`);
    // After `--` the words are exec's command's own.
    for (const [, option] of usage.split(' -- ')[0].matchAll(/--([a-z][a-z-]*)/g)) assert.ok(COMMANDS[c.name].options.includes(option), `${c.name} does not take --${option} (${usage})`);
  }
});

test('commandOf: two-word commands, and unknown ones', () => {
  assert.deepEqual(commandOf(['sweep', 'show', 'x']), { name: 'sweep show', args: ['x'] });
  assert.deepEqual(commandOf(['sweep', 'a.hone.json']), { name: 'sweep', args: ['a.hone.json'] });
  assert.deepEqual(commandOf(['ls']), { name: 'ls', args: [] });
  assert.equal(commandOf(['backend']), undefined, 'the switch says what backend expects');
  assert.equal(commandOf(['constructor']), undefined);
});

test('checkTaken names the option and where it belongs, or the argument too many', () => {
  const refused = (name: string, given: string[], args: string[] = []) => {
    try {
      checkTaken(name, given, args);
    } catch (e) {
      return (e as Error).message;
    }
    return undefined;
  };
  assert.equal(refused('run', ['trials']), 'hone run: --trials is not taken here (hone sweep and hone sweep resume take it)');
  assert.equal(refused('run', ['eps']), 'hone run: --eps is not taken here (hone attack takes it)');
  assert.equal(refused('tag', ['json']), 'hone tag: --json is not taken here');
  assert.equal(refused('ls', [], ['completed']), "hone ls: unexpected 'completed' (select runs with --filter, e.g. --filter 'status=completed')");
  assert.equal(refused('dashboard', [], ['x']), "hone dashboard: unexpected 'x' (it shows the whole store; --out FILE.html names the file)");
  assert.equal(refused('sweep ls', [], ['x']), "hone sweep ls: unexpected 'x' (it takes no arguments)");
  assert.equal(refused('run', ['store', 'set', 'json', 'help'], ['a', 'b', 'c']), undefined);
});

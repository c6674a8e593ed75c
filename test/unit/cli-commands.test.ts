// What each command takes (src/cli/commands.ts): every option the README's CLI section shows for a command
// is taken by it, `hone --help` names every option a command takes, and what a command does not take is
// refused by name, with where it belongs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hone, ROOT } from '../helpers/cli';
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

/**
 * The options `hone --help` names for each command: an entry starts on a line indented two spaces and goes on
 * over deeper-indented lines; `;` and ` | ` separate usages within it (`tag ...;  note ...`, `sweep stop ... |
 * sweep ls`) when what follows starts a command, and `run|sweep ...` is a usage of both.
 */
function helpOptions(): Map<string, Set<string>> {
  const r = hone(['--help']);
  assert.equal(r.code, 0, r.stderr);
  const entries: string[] = [];
  for (const line of r.stdout.split('\n')) {
    if (/^ {2}\S/.test(line)) entries.push(line.trim());
    else if (/^ {3,}\S/.test(line) && entries.length) entries[entries.length - 1] += ` ${line.trim()}`;
  }
  const named = new Map<string, Set<string>>();
  for (const entry of entries) {
    let names: string[] = [];
    for (const part of entry.split(/;\s*|\s\|\s/)) {
      const [first, ...rest] = part.split(/\s+/);
      const starts = first.split('|').map((w) => commandOf([w, ...rest])?.name).filter((n): n is string => n !== undefined);
      if (starts.length) names = starts;
      for (const [, option] of part.matchAll(/--([a-z][a-z-]*)/g)) for (const n of names) named.set(n, (named.get(n) ?? new Set()).add(option));
    }
  }
  return named;
}

test('hone --help names every option each command takes', () => {
  const named = helpOptions();
  // --store is one line of its own, for every command that uses a store.
  const missing = Object.entries(COMMANDS).flatMap(([name, takes]) =>
    takes.options.filter((o) => o !== 'store' && !named.get(name)?.has(o)).map((o) => `${name}: --${o}`));
  assert.deepEqual(missing, [], 'options a command takes that hone --help does not show');
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

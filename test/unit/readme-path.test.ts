// The README says how to type `hone` (every example does): its alias and its link, run as written from
// the clone, give a working `hone` in another folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ROOT } from '../helpers/cli';

/** The README's code span that starts with `start`. */
function readmeCode(start: string): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const found = new RegExp(`\`(${start.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[^\`]*)\``).exec(readme);
  assert.ok(found, `the README shows no \`${start}...\``);
  return found[1];
}

/** Runs `setup` in the clone, then `hone ls` in an empty folder, in bash with HOME a fresh folder. */
function honeAfter(setup: string, path = ''): { status: number | null; stdout: string; stderr: string } {
  const home = mkdtempSync(join(tmpdir(), 'hone-readme-'));
  try {
    const script = `shopt -s expand_aliases\ncd "$1"\n${setup}\ncd "$HOME"\nhone ls --store "$HOME/store"\n`;
    const env = { HOME: home, PATH: `${path.replace('~', home)}${dirname(process.execPath)}:/usr/bin:/bin` };
    return spawnSync('bash', ['-c', script, 'bash', ROOT], { env, encoding: 'utf8' });
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

test("the README's alias gives a working hone", () => {
  const r = honeAfter(readmeCode('alias hone='));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^no runs in .*store\n$/);
});

test("the README's link into ~/.local/bin gives a working hone, without root", () => {
  const r = honeAfter(readmeCode('mkdir -p ~/.local/bin'), '~/.local/bin:');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^no runs in .*store\n$/);
});

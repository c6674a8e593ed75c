// The README's reading of the demo's digits runs with and without L2 is what those runs record: the
// same test accuracy, a higher training loss with L2 (the sentence once said they showed L2's benefit).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hone, ROOT } from '../helpers/cli';
import { num } from '../../src/core/format';

/** The demo's digits run (`sets` as the demo gives them) on wasm, the backend the README's figures came from. */
function finalMetrics(store: string, sets: string[]): Record<string, number> {
  const r = hone(['run', 'examples/digits-mlp.hone.json', '--set', 'backend=wasm', ...sets.flatMap((s) => ['--set', s]), '--store', store, '--json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout)[0].metrics;
}

test("the README's figures for the demo's digits runs with and without L2 are theirs", () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8').replace(/\s+/g, ' ');
  const m = /digits runs add L2 = 0\.001 .*? training loss up \((\S+) against (\S+)\) .*?test accuracy (\S+) with and without it; val_loss (\S+) against (\S+)\)/.exec(readme);
  assert.ok(m, "the README's sentence on the demo's digits runs and L2");
  const store = mkdtempSync(join(tmpdir(), 'hone-l2-'));
  try {
    const [l2, plain] = [finalMetrics(store, ['train.l2=0.001']), finalMetrics(store, [])];
    assert.deepEqual(m.slice(1), [num(l2.loss), num(plain.loss), num(l2.test_accuracy), num(l2.val_loss), num(plain.val_loss)]);
    assert.equal(num(plain.test_accuracy), num(l2.test_accuracy), 'the same test accuracy with and without L2');
  } finally {
    rmSync(store, { recursive: true, force: true });
  }
});

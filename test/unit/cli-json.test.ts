// Every --json output writes NaN and infinities as the store does ("NaN", "Infinity"), never as null:
// `hone run --json` (printResults, shared with resume) and `hone exec --json` wrote null, while show, ls
// and compare --json wrote "NaN".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { hone } from '../helpers/cli';
import { fakeRun } from '../helpers/store-fixtures';
import { createRun } from '../../src/core/store';
import { printResults } from '../../src/cli/run';

let dir: string;
before(() => (dir = makeTmpDir()));
after(() => removeTmpDir(dir));

/** What `fn` writes to stdout. */
function stdoutOf(fn: () => void): string {
  const write = process.stdout.write;
  let out = '';
  process.stdout.write = ((chunk: string) => ((out += chunk), true)) as typeof process.stdout.write;
  try {
    fn();
  } finally {
    process.stdout.write = write;
  }
  return out;
}

test('hone run --json (and resume --json): a diverged run\'s NaN and Infinity metrics as strings', () => {
  const { record, dir: runDir } = createRun(join(dir, 'store'), fakeRun());
  const rec = { ...record, status: 'completed' as const, final: { loss: NaN, val_loss: Infinity, accuracy: 0.1 } };
  const [view] = JSON.parse(stdoutOf(() => printResults([{ rec, dir: runDir }], join(dir, 'store'), true)));
  assert.deepEqual(view.metrics, { loss: 'NaN', val_loss: 'Infinity', accuracy: 0.1 });
});

test('hone exec --json: a NaN metric as "NaN", as hone show --json has it', () => {
  const script = join(dir, 'nan.js');
  writeFileSync(script, `require('fs').appendFileSync(process.env.HONE_METRICS_FILE, '{"metrics": {"loss": "NaN", "acc": 0.5}}\\n');`);
  const store = join(dir, 'exec');
  const r = hone(['exec', '--json', '--store', store, '--', process.execPath, script], dir);
  assert.equal(r.code, 0, r.stderr);
  const view = JSON.parse(r.stdout);
  assert.deepEqual(view.metrics, { loss: 'NaN', acc: 0.5 });
  assert.deepEqual(JSON.parse(hone(['show', view.id, '--json', '--store', store]).stdout).metrics, view.metrics);
});

// `make demo` empties its own store first: it must never empty the user's ($HONE_STORE) or a folder it did not make.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { ROOT } from '../helpers/cli';

test('the demo empties neither $HONE_STORE nor a folder it did not make: exit 2, and the reason', () => {
  const dir = makeTmpDir();
  try {
    const [user, demo] = [join(dir, 'user'), join(dir, 'demo')];
    for (const store of [user, demo]) {
      mkdirSync(join(store, 'runs'), { recursive: true });
      writeFileSync(join(store, 'runs', 'keep.txt'), 'a run');
    }
    const r = spawnSync('bash', [join(ROOT, 'scripts/demo.sh')], { encoding: 'utf8', env: { ...process.env, HONE_STORE: user, HONE_DEMO_STORE: demo } });
    assert.equal(r.status, 2, r.stdout + r.stderr);
    // It looked at its own store, not the user's.
    assert.equal(r.stderr.trim(), `make demo: ${demo} is not empty and was not made by the demo (no ${demo}/.hone-demo): not emptying it; set HONE_DEMO_STORE to another folder`);
    for (const store of [user, demo]) {
      assert.equal(readFileSync(join(store, 'runs', 'keep.txt'), 'utf8'), 'a run');
      assert.ok(!existsSync(join(store, '.hone-demo')));
    }
  } finally {
    removeTmpDir(dir);
  }
});

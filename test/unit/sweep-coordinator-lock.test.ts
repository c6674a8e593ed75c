// The sweep's coordinator lock: made whole, a dead holder's broken, a live one refused, and a release
// that removes only its own lock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { claimCoordinator, coordinatorOf } from '../../src/core/sweep/coordinator-lock';
import { deadPid } from '../helpers/store-fixtures';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';

test('claim: a dead holder\'s lock is broken, a live one refused; release removes only its own lock; nothing left beside it', (t) => {
  const dir = makeTmpDir();
  t.after(() => removeTmpDir(dir));
  const lock = join(dir, 'coordinator.lock');
  writeFileSync(lock, JSON.stringify({ pid: deadPid(), host: hostname() }));
  const release = claimCoordinator(dir, 's1', dir);
  assert.equal(coordinatorOf(dir)?.pid, process.pid);
  assert.throws(() => claimCoordinator(dir, 's1', dir), /sweep s1 is running in process \d+/);
  assert.deepEqual(readdirSync(dir), ['coordinator.lock'], 'no temporary or set-aside file left');
  // Another process took the sweep after this one's lock was broken: this one's release leaves it.
  const theirs = JSON.stringify({ pid: 1, host: 'elsewhere' });
  writeFileSync(lock, theirs);
  release();
  assert.equal(readFileSync(lock, 'utf8'), theirs);
  writeFileSync(lock, '');
  const again = claimCoordinator(dir, 's1', dir);
  again();
  assert.equal(existsSync(lock), false);
});

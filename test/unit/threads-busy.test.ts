// Busy-core detection counts only the CPUs this process may run on (its affinity), so load on CPUs a
// cpuset or container leaves out never takes threads from a run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseCpuList } from '../../src/engine/threads/busy';
import { ROOT } from '../helpers/cli';

test('a CPU list as /proc/<pid>/status writes it', () => {
  assert.deepEqual([...parseCpuList('0-3,8\n')], [0, 1, 2, 3, 8]);
  assert.deepEqual([...parseCpuList('5')], [5]);
  assert.deepEqual([...parseCpuList('')], []);
});

test('pinned to one CPU, at most that one CPU counts as busy', { skip: process.platform !== 'linux' || spawnSync('taskset', ['-V']).error !== undefined }, () => {
  const script = `require(${JSON.stringify(join(ROOT, 'src/engine/threads/busy.ts'))}).busyCores().then((b) => console.log(b))`;
  const r = spawnSync('taskset', ['-c', '0', process.execPath, '--import', 'tsx', '-e', script], { encoding: 'utf8', cwd: ROOT });
  assert.equal(r.status, 0, r.stderr);
  const busy = Number(r.stdout);
  assert.ok(busy >= 0 && busy <= 1.0001, `busy ${busy} on one allowed CPU`);
});

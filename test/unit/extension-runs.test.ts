// The extension's run coordinator without VS Code: real worker processes, a real store. It never runs
// more than hone.maxParallelRuns at once, queued runs are visible in the store as `queued`, and a
// queued run can be stopped before it starts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { RunManager } from '../../src/extension/runs';
import { readRunRecord } from '../../src/core/store';
import { validateSpec } from '../../src/core/spec';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { ROOT, digitsSpec, waitFor } from '../helpers/cli';

let dir: string;
before(() => (dir = makeTmpDir()));
after(() => removeTmpDir(dir));

test('runs beyond maxParallelRuns wait in a queue; a queued run can be stopped', async () => {
  const store = join(dir, 'store');
  const log: string[] = [];
  let maxActive = 0;
  const manager: RunManager = new RunManager({
    storeDir: () => store,
    limit: () => 1,
    workerPath: join(ROOT, 'dist/worker.js'),
    log: { appendLine: (l: string) => log.push(l) } as never,
    onChange: () => (maxActive = Math.max(maxActive, manager.activeCount)),
  });
  const spec = (name: string) => validateSpec(digitsSpec(name, { epochs: 2 }), { baseDir: dir }).spec!;
  const runs = ['q1', 'q2', 'q3'].map((n) => manager.enqueue({ storeDir: store, spec: spec(n), overrides: [] }));
  assert.equal(manager.activeCount, 1);
  assert.equal(manager.queuedCount, 2);
  assert.equal(readRunRecord(runs[2].dir)!.status, 'queued', 'a queued run is in the store at once');
  manager.stop(store, runs[2].record.id);
  assert.equal(readRunRecord(runs[2].dir)!.status, 'stopped');
  await waitFor(() => (manager.activeCount + manager.queuedCount === 0 ? true : undefined), 120_000, 'the queue to drain');
  assert.deepEqual(runs.map((r) => readRunRecord(r.dir)!.status), ['completed', 'completed', 'stopped']);
  assert.equal(maxActive, 1, 'never more than one worker at a time');
  assert.equal(log.filter((l) => /^started worker pid \d+: .*worker\.js/.test(l)).length, 2, 'each process started is logged with its command line');
  assert.equal(log.filter((l) => /exited \(code 0\)/.test(l)).length, 2, 'and its exit');
});

// Rerun (the Runs tree's command) on a federated run: the extension hands the run's saved spec, with
// every default filled in, back to the run manager. The federation must train again, round for round
// the same as the first time (same seed, same partition), not be refused over options it never wrote.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { RunManager } from '../../src/extension/runs';
import { listRunIds, readMetrics, readRunRecord, runDirOf } from '../../src/core/store';
import { isTrainRecord } from '../../src/core/store/types';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { ROOT, hone } from '../helpers/cli';

let dir: string;
before(() => (dir = makeTmpDir()));
after(() => removeTmpDir(dir));

const accuracies = (store: string, id: string) =>
  readMetrics(runDirOf(store, id)).lines.flatMap((l) => (typeof l.metrics?.test_accuracy === 'number' ? [l.metrics.test_accuracy] : []));

test('Rerun of a federated run trains the same federation again, round for round', async () => {
  const store = join(dir, 'store');
  const first = hone(['run', join(ROOT, 'examples/digits-federated.hone.json'), '--store', store, '--set', 'federated.rounds=3']);
  assert.equal(first.code, 0, first.stderr);
  const [id] = listRunIds(store);
  const record = readRunRecord(runDirOf(store, id))!;
  assert.equal(record.kind, 'federated');
  assert.ok(isTrainRecord(record), 'Rerun offers it (the tree filters runs with isTrainRecord)');
  assert.equal(record.spec.federated!.mu, 0.01, 'the saved spec carries defaults of options fedavg does not use');

  const manager = new RunManager({
    storeDir: () => store, limit: () => 1, workerPath: join(ROOT, 'dist/worker.js'),
    log: { appendLine: () => undefined } as never, onChange: () => undefined,
  });
  const again = manager.enqueue({ storeDir: store, spec: record.spec, specPath: record.specPath, overrides: record.overrides });
  const done = await again.done;
  assert.equal(done?.status, 'completed', done?.message);
  assert.equal(done?.kind, 'federated');
  assert.equal(done?.epochsDone, 3, 'three rounds');
  const before = accuracies(store, id);
  assert.equal(before.length, 3, 'one test accuracy per round');
  assert.deepEqual(accuracies(store, again.record.id), before, 'the same seed and partition give the same rounds');
});

// A training run's robustness evaluation (engine/robust/in-run.ts) that fails keeps what training measured:
// the run is recorded failed, saying why, with its training metrics as final; the model stays saved.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { validateSpec } from '../../src/core/spec';
import { robustnessAfterTraining } from '../../src/engine/robust/in-run';
import { digitsSpec } from '../helpers/cli';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';

test('an evaluation that fails (here: no model/ to load) ends the run failed with its training metrics and message kept', async () => {
  const dir = makeTmpDir();
  try {
    const { spec, problems } = validateSpec({ ...digitsSpec('d'), robustness: { evaluate: { eps: 0.1 } } }, { baseDir: dir });
    assert.deepEqual(problems, []);
    const trained = { status: 'completed', message: 'trained 3 epochs', final: { test_accuracy: 0.9, loss: 0.3 }, bestEpoch: 3 };
    const lines: string[] = [];
    const { result, robustness } = await robustnessAfterTraining(join(dir, 'run'), spec!, undefined, trained, { baseDir: dir, log: (l) => lines.push(l), stop: () => false });
    assert.equal(result.status, 'failed');
    assert.match(result.message, /^trained 3 epochs; the robustness evaluation failed: .+ \(the model is saved, with its training metrics\)$/);
    assert.deepEqual([result.final, result.bestEpoch], [trained.final, 3]);
    assert.deepEqual(robustness, { flags: [] });
    assert.ok(lines.some((l) => l.startsWith('robustness: ')), 'the stack goes to the log');
  } finally {
    removeTmpDir(dir);
  }
});

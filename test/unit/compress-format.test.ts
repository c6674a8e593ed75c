// compress.json as hone show prints it: the accuracy column labelled by the task and split measured,
// and no latency method where latency was not measured.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CompressReport } from '../../src/core/compress';
import { compressionLines } from '../../src/cli/compress-format';

const sizes = { params: 100, nonzero: 50, float32Bytes: 400, tfjsBytes: 900, tfjsGzipBytes: 500 };
const report = (metrics: Record<string, number>, runs: number): CompressReport => ({
  version: 1, backend: 'cpu', latencyMethod: { warmup: runs ? 3 : 0, runs, statistic: 'median' }, denseBytes: 400,
  before: { ...sizes, metrics }, after: { ...sizes, packedBytes: 300, sparsity: 0.5, metrics },
  stages: [], layers: [], roundTrip: { maxAbsDiff: 0, samples: 10 },
});

test('a classifier without a test split: its column is val accuracy, in percent', () => {
  const text = compressionLines(report({ val_loss: 0.3, val_accuracy: 0.9 }, 15)).join('\n');
  assert.match(text, /packed  val accuracy  ms batch 1/);
  assert.match(text, /90\.00%/);
  assert.doesNotMatch(text, /mse/);
  assert.match(text, /median of 15 after 3 warm-up calls/);
});

test('with a test split, test accuracy or test mse by task; latency not measured is said so', () => {
  assert.match(compressionLines(report({ val_accuracy: 0.9, test_accuracy: 0.8 }, 15)).join('\n'), /test accuracy[\s\S]*80\.00%/);
  const text = compressionLines(report({ val_mse: 2, test_loss: 3, test_mse: 3 }, 0)).join('\n');
  assert.match(text, /packed  test mse/);
  assert.match(text, /^compression \(latency not measured; sizes in bytes\)/);
  assert.doesNotMatch(text, /median of 0/);
});

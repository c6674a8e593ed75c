// Progress lines show the metric a run keeps its best epoch by: Fast-AT's "restored the weights of epoch
// 14 (best val_robust_accuracy)" must be checkable against the epoch lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { Progress } from '../../src/cli/progress';
import { loadSpecFile } from '../../src/core/spec';
import type { Spec } from '../../src/core/spec/types';
import type { RunRecord } from '../../src/core/store/types';

const fastAt = loadSpecFile(resolve('examples/digits-fast-at.hone.json')).spec as Spec;
const metrics = { loss: 0.5, accuracy: 0.8, val_loss: 0.6, val_accuracy: 0.75, val_robust_accuracy: 0.42 };
const line = { epoch: 3, step: 30, time: 1.5, lr: 0.003, metrics, tensors: 0 };

/** The lines a non-TTY Progress writes while `use` drives it. */
function lines(use: (p: Progress) => void): string[] {
  let text = '';
  const out = { isTTY: false, write: (s: string) => ((text += s), true) } as unknown as NodeJS.WriteStream;
  use(new Progress(out));
  return text.trim().split('\n');
}

test('adversarial training with keepBest: epoch lines show val_robust_accuracy, which the kept epoch is chosen by', () => {
  const [shown] = lines((p) => p.message('r1', 'digits-fast-at', { type: 'epoch', line, epochs: 15 }, fastAt));
  assert.equal(shown, 'digits-fast-at: epoch 3/15 loss=0.5000 accuracy=0.8000 val_loss=0.6000 val_accuracy=0.7500 val_robust_accuracy=0.4200 (1.5s)');
});

test('the run\'s last line shows it too; a run that keeps its last epoch shows the usual metrics', () => {
  const rec = { status: 'completed', message: 'trained 15 epochs; restored the weights of epoch 3 (best val_robust_accuracy)', final: metrics, spec: fastAt } as unknown as RunRecord;
  assert.match(lines((p) => p.finish('r1', 'digits-fast-at', rec))[0], / val_robust_accuracy=0\.4200$/);
  const keepLast = { ...fastAt, robustness: { ...fastAt.robustness, train: { ...fastAt.robustness!.train!, keepBest: false } } };
  const [plain] = lines((p) => p.message('r1', 'x', { type: 'epoch', line, epochs: 15 }, keepLast));
  assert.doesNotMatch(plain, /val_robust_accuracy/);
  const stopping = { ...keepLast, train: { ...keepLast.train, earlyStopping: { metric: 'val_robust_accuracy', patience: 3, minDelta: 0, mode: 'max' as const } } };
  assert.match(lines((p) => p.message('r1', 'x', { type: 'epoch', line, epochs: 15 }, stopping))[0], /val_robust_accuracy=0\.4200/, 'early stopping\'s metric');
});

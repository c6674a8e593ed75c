// `hone attack`'s plan (core/robust/evaluate-run.ts) from a run's saved, validated spec: defaults that were
// filled from other fields are filled again for the values the attack overrides, values the user wrote are kept.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { planEvaluation } from '../../src/core/robust/evaluate-run';
import { validateSpec } from '../../src/core/spec';
import { createRun, MODEL_DIR, writeRunRecord } from '../../src/core/store';

let dir: string;
before(() => (dir = makeTmpDir()));
after(() => removeTmpDir(dir));

/** A completed run in a fresh store whose spec evaluates with `attacks` (validated: defaults filled), with a model file. */
function sourceRun(attacks: unknown[] | undefined, evaluate: Record<string, unknown> = { eps: 0.1 }): { store: string; id: string } {
  const store = join(dir, `store-${Math.random().toString(36).slice(2)}`);
  const raw = { name: 'src', data: { source: 'digits', normalize: 'scale' }, model: { type: 'mlp', layers: [8] }, train: { epochs: 1 }, robustness: { evaluate: { ...evaluate, ...(attacks ? { attacks } : {}) } } };
  const v = validateSpec(raw, { baseDir: dir });
  assert.ok(v.spec, JSON.stringify(v.problems));
  const run = createRun(store, { name: 'src', experiment: 'src', spec: v.spec, overrides: [], seed: 1, versions: {}, epochsPlanned: 1 });
  mkdirSync(join(run.dir, MODEL_DIR));
  writeFileSync(join(run.dir, MODEL_DIR, 'model.json'), '{}');
  writeRunRecord(run.dir, { ...run.record, status: 'completed', pid: undefined, finished: new Date().toISOString() });
  return { store, id: run.record.id };
}

const pgdOf = (store: string, id: string, sets: string[]) =>
  planEvaluation(store, id, { sets }).spec.robustness!.evaluate!.attacks[0] as { steps: number; stepSize: number };

test('PGD given more or fewer steps than the run evaluated with gets the default step size for its own steps', () => {
  const { store, id } = sourceRun([{ attack: 'pgd', steps: 10 }]);
  assert.equal(pgdOf(store, id, []).stepSize, 0.25, 'the run\'s own: 2.5 / 10');
  assert.equal(pgdOf(store, id, ['robustness.evaluate.attacks[0].steps=200']).stepSize, 2.5 / 200);
  assert.equal(pgdOf(store, id, ['robustness.evaluate.attacks[0].steps=5']).stepSize, 0.5);
});

test('a step size the user wrote is kept when only the steps change, and one given with the attack wins', () => {
  const { store, id } = sourceRun([{ attack: 'pgd', steps: 10, stepSize: 0.1 }]);
  assert.deepEqual(pgdOf(store, id, ['robustness.evaluate.attacks[0].steps=40']), { attack: 'pgd', steps: 40, stepSize: 0.1, restarts: 1, randomStart: true });
  assert.equal(pgdOf(store, id, ['robustness.evaluate.attacks[0].steps=40', 'robustness.evaluate.attacks[0].stepSize=0.05']).stepSize, 0.05);
});

test('hone attack changes robustness.evaluate only: an assignment elsewhere is refused, naming where they may go', () => {
  const { store, id } = sourceRun([{ attack: 'pgd', steps: 10 }]);
  for (const set of ['data.source=mnist', 'model.layers=[999]', 'train.lr=5', 'federated.clients=3']) {
    assert.throws(() => planEvaluation(store, id, { sets: [set] }), (e: Error) => e.message.includes('expected a path under robustness.evaluate') && e.message.includes(set));
  }
  assert.equal(pgdOf(store, id, ['robustness.evaluate.attacks[0].restarts=2']).steps, 10);
});

test('a run evaluated under l2 with the default ensemble (Square left out: linf only) gets the whole default when attacked under linf', () => {
  const { store, id } = sourceRun(undefined, { eps: 0.5, norm: 'l2' });
  const names = (req: Parameters<typeof planEvaluation>[2]) => planEvaluation(store, id, req).spec.robustness!.evaluate!.attacks.map((a) => a.attack);
  assert.deepEqual(names({}), ['apgd-ce', 'apgd-dlr'], 'l2 still: the l2 default');
  assert.deepEqual(names({ norm: 'linf', eps: [0.1] }), ['apgd-ce', 'apgd-dlr', 'square'], 'linf: the black-box check is back');
});

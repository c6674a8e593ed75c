// `hone attack` and the spec's robustness section through the built CLI, with real worker processes: a
// Fast-AT run records val_robust_accuracy and its evaluation; `hone attack <run>` makes a child run of kind
// evaluate, linked to its parent, with stable metrics, also for a run whose own parent holds the training
// spec; bad input exits 2, names its JSON path and writes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { hone, readJson, writeSpec } from '../helpers/cli';
import { createRun, writeRunRecord } from '../../src/core/store';

let dir: string;
let store: string;
let trained: { id: string; runDir: string };
before(() => {
  dir = makeTmpDir();
  store = join(dir, 'store');
});
after(() => removeTmpDir(dir));

const runs = () => readdirSync(join(store, 'runs')).sort();
const STACK = /\n\s+at .*\(/;

test('a spec with robustness.train and robustness.evaluate: Fast-AT, val_robust_accuracy per epoch, the evaluation in the run', () => {
  const spec = {
    name: 'digits-robust', seed: 2,
    data: { source: 'digits', split: { train: 0.6, val: 0.2, test: 0.2 }, normalize: 'scale' },
    model: { type: 'mlp', layers: [48] },
    train: { optimizer: 'adam', lr: 0.01, batchSize: 64, epochs: 6 },
    robustness: {
      train: { method: 'fast', eps: 0.1, validation: { points: 100 } },
      evaluate: { eps: [0.1, 0.05], points: 80, attacks: [{ attack: 'apgd-ce', steps: 10 }, { attack: 'square', queries: 50 }] },
    },
  };
  const r = hone(['run', writeSpec(dir, 'robust', spec), '--store', store, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const [view] = JSON.parse(r.stdout);
  trained = { id: view.id, runDir: view.runDir };
  for (const k of ['val_robust_accuracy', 'robust_accuracy', 'robust_accuracy_low', 'robust_accuracy_high', 'clean_accuracy', 'eps_0.05/robust_accuracy', 'eps_0.1/robust_accuracy', 'apgd-ce/attack_success', 'red_flags', 'test_accuracy']) {
    assert.equal(typeof view.metrics[k], 'number', `${k} in ${JSON.stringify(view.metrics)}`);
  }
  assert.equal(view.metrics.robust_accuracy, view.metrics['eps_0.1/robust_accuracy'], 'the headline is the first eps listed');
  assert.ok(view.metrics['eps_0.05/robust_accuracy'] >= view.metrics['eps_0.1/robust_accuracy']);
  const rec = readJson(join(view.runDir, 'run.json'));
  assert.equal(rec.robustness.training.method, 'fast');
  assert.equal(rec.robustness.evaluation.points, 80);
  assert.equal(rec.robustness.flags.length, view.metrics.red_flags);
  const lines = readFileSync(join(view.runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.length, 6);
  assert.ok(lines.every((l) => typeof l.metrics.val_robust_accuracy === 'number'));
});

test('hone attack <run>: a child run of kind evaluate with its parent, one metric line per eps, listed and shown', () => {
  const r = hone(['attack', trained.id, '--store', store, '--eps', '0.1,0.03', '--attacks', 'fgsm,pgd', '--points', '60', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const view = JSON.parse(r.stdout);
  assert.equal(view.kind, 'evaluate');
  assert.equal(view.parent, trained.id);
  assert.equal(view.status, 'completed');
  assert.equal(view.metrics.eval_points, 60);
  assert.ok(view.metrics.robust_accuracy <= view.metrics['eps_0.03/robust_accuracy']);
  assert.deepEqual(view.spec.robustness.evaluate.attacks.map((a: { attack: string }) => a.attack), ['fgsm', 'pgd']);
  assert.deepEqual(view.spec.train, readJson(join(trained.runDir, 'run.json')).spec.train, 'the spec is the parent\'s, with the evaluation set');
  assert.equal(view.robustness.evaluation.model.run, trained.id);
  // Its data provenance as a training run records it: the same samples as the run it attacked, and the file read.
  const data = readJson(join(view.runDir, 'run.json')).provenance.data;
  assert.deepEqual(data, readJson(join(trained.runDir, 'run.json')).provenance.data);
  assert.match(data.sha256, /^[0-9a-f]{64}$/);
  assert.equal(data.files.length, 1, 'the bundled digits file');
  const lines = readFileSync(join(view.runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((l) => l.metrics.eps), [0.03, 0.1]);
  assert.ok(lines.every((l) => l.lr === 'NaN'), 'an evaluation has no learning rate: none is invented');
  // Backend and threads as the parent's spec says, by the same rule as training (this model is too small for a second thread).
  const backend = readJson(join(view.runDir, 'run.json')).backend;
  if (backend.name === 'wasm') assert.equal(backend.threads, 1, backend.threadsWhy);
  const ls = hone(['ls', '--store', store, '--filter', 'kind=evaluate', '--json']);
  assert.equal(ls.code, 0, ls.stderr);
  assert.deepEqual(JSON.parse(ls.stdout).map((v: { id: string }) => v.id), [view.id]);
  const show = hone(['show', trained.id, '--store', store]);
  assert.match(show.stdout, new RegExp(view.id));
  const text = hone(['attack', trained.id, '--store', store, '--eps', '0.05', '--attacks', 'fgsm', '--points', '30']);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /robust accuracy +95% CI +fgsm broke/);
  assert.match(text.stdout, /red flags:/);
});

test("a run's own robustness evaluation logs each eps and each red flag, and hone show prints the evaluation and its flags", () => {
  // A one-step PGD with a tiny step, then Square: the black-box attack breaks what the gradient one left, a red flag.
  const spec = {
    name: 'digits-flags', seed: 2,
    data: { source: 'digits', split: { train: 0.6, val: 0.2, test: 0.2 }, normalize: 'scale' },
    model: { type: 'mlp', layers: [32] },
    train: { optimizer: 'adam', lr: 0.01, batchSize: 64, epochs: 2 },
    robustness: { evaluate: { eps: [0.3, 0.1], points: 60, attacks: [{ attack: 'pgd', steps: 1, stepSize: 0.01 }, { attack: 'square', queries: 100 }] } },
  };
  const r = hone(['run', writeSpec(dir, 'flags', spec), '--store', store, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const [view] = JSON.parse(r.stdout);
  const rec = readJson(join(view.runDir, 'run.json'));
  const flags: { id: string; message: string }[] = rec.robustness.flags;
  assert.ok(flags.some((f) => f.id === 'black-box-beats-white-box'), JSON.stringify(flags));
  assert.equal(view.metrics.red_flags, flags.length);
  const log = readFileSync(join(view.runDir, 'log.txt'), 'utf8');
  for (const e of rec.robustness.evaluation.perEps) assert.ok(log.includes(`eps ${e.eps}: robust accuracy ${e.robustAccuracy.toFixed(4)} [`), `eps ${e.eps} in the log`);
  for (const f of flags) assert.ok(log.includes(`red flag ${f.id}: ${f.message}\n`), `${f.id} in the log`);
  const show = hone(['show', view.id, '--store', store]);
  assert.equal(show.code, 0, show.stderr);
  const section = show.stdout.slice(show.stdout.indexOf('\nrobustness:\n'));
  assert.match(section, /^\nrobustness:\nclean accuracy [\d.]+% on the first 60 test points/);
  assert.match(section, /eps +robust accuracy +95% CI +pgd broke +square broke/);
  assert.match(section, /\nrobust_accuracy is at the headline eps 0\.3 \(the first eps given\)\n/);
  assert.match(show.stdout, /\nrobust_accuracy \(eps 0\.3\) +[\d.]+\n/, 'the metric table names the headline eps');
  for (const f of flags) assert.ok(section.includes(`  ! ${f.id}: ${f.message}`), `${f.id} shown`);
});

test('hone attack works on a run derived from another (a compressed model): the data come from up its lineage', () => {
  const child = createRun(store, {
    kind: 'compress' as never, name: 'digits-robust [compressed]', experiment: 'digits-robust', spec: { name: 'compressed', params: { method: 'test' } },
    overrides: [], seed: 0, versions: {}, epochsPlanned: 0, parent: trained.id,
  });
  cpSync(join(trained.runDir, 'model'), join(child.dir, 'model'), { recursive: true });
  writeRunRecord(child.dir, { ...child.record, status: 'completed', pid: undefined, finished: new Date().toISOString() });
  const r = hone(['attack', child.record.id, '--store', store, '--eps', '0.1', '--attacks', 'pgd', '--points', '40', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const view = JSON.parse(r.stdout);
  assert.equal(view.parent, child.record.id);
  assert.equal(view.spec.data.source, 'digits');
  assert.equal(typeof view.metrics.robust_accuracy, 'number');
});

test('bad input: exit 2, the problem at its JSON path, no stack, nothing written', () => {
  const regression = hone(['run', writeSpec(dir, 'reg', { name: 'reg', data: { source: 'regression', samples: 60, features: 2 }, model: { type: 'linear' }, train: { epochs: 1 } }), '--store', store, '--json']);
  assert.equal(regression.code, 0, regression.stderr);
  const reg = JSON.parse(regression.stdout)[0].id;
  const untested = hone(['run', writeSpec(dir, 'no-test', { name: 'no-test', data: { source: 'digits', split: { train: 0.8, val: 0.2, test: 0 } }, model: { type: 'linear' }, train: { epochs: 1 } }), '--store', store, '--json']);
  assert.equal(untested.code, 0, untested.stderr);
  const noTest = JSON.parse(untested.stdout)[0].id;
  const evaluated = runs().find((id) => readJson(join(store, 'runs', id, 'run.json')).kind === 'evaluate')!;
  const before = runs();
  const cases: [string[], RegExp][] = [
    [['--eps=-0.1'], /robustness\.evaluate\.eps: expected a number > 0, found -0\.1/],
    [['--eps', '1.5'], /robustness\.evaluate\.eps: expected an eps of at most 1/],
    [['--eps', '0.1,x'], /--eps: expected numbers separated by commas/],
    [['--eps', '0.1', '--attacks', 'cw'], /robustness\.evaluate\.attacks\[0\]\.attack: expected one of: fgsm, pgd, apgd-ce, apgd-dlr, square/],
    [['--eps', '0.1', '--norm', 'l2', '--attacks', 'pgd,square'], /robustness\.evaluate\.attacks\[1\]\.attack: expected an attack that supports norm l2/],
    [['--eps', '0.1', '--norm', 'l3'], /robustness\.evaluate\.norm: expected one of: linf, l2/],
    [['--eps', '0.1', '--set', 'robustness.evaluate.attacks=[{"attack":"pgd","steps":0}]'], /robustness\.evaluate\.attacks\[0\]\.steps: expected an integer >= 1, found 0/],
    [['--eps', '0.1', '--points', '0'], /robustness\.evaluate\.points: expected an integer >= 1/],
  ];
  for (const [args, want] of cases) {
    const r = hone(['attack', trained.id, '--store', store, ...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, want, args.join(' '));
    assert.doesNotMatch(r.stderr, STACK);
  }
  const other: [string, RegExp][] = [
    [reg, /robustness: expected a classifier of image data .*regression task/],
    [noTest, /robustness\.evaluate: expected a test split \(data\.split\.test > 0\).*found data\.split\.test = 0/],
    [evaluated, /expected a saved model .* found none/],
    ['no-such-run', /no run matches 'no-such-run'/],
  ];
  for (const [ref, want] of other) {
    const r = hone(['attack', ref, '--store', store, '--eps', '0.1']);
    assert.equal(r.code, 2, `${ref}: ${r.stderr}`);
    assert.match(r.stderr, want);
  }
  const noEps = hone(['attack', reg, '--store', store]);
  assert.equal(noEps.code, 2);
  assert.deepEqual(runs(), before, 'no run was created');
});

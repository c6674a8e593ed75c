// The trade-off core (src/core/tradeoff): the non-dominated front on hand-made points (ties, duplicates,
// three objectives, mixed directions, missing values, against a brute-force definition on random points),
// the brush in data space on linear and log axes, lineage edges among shown runs, which values a run has
// (an evaluation run takes its model's), and the default choice of axes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  axisFor, brushOf, defaultChoice, isTradeoffMetric, tradeoffMetrics, inBrush, invert, lineageEdges, objectivesOf, paretoFront, project, runValues, scopePoints, tradeoffPlot,
  type Objective, type RunValues, type TradeoffRun,
} from '../../src/core/tradeoff';
import { createRng } from '../../src/core/rng';

const pt = (id: string, values: Record<string, number>): RunValues => ({ id, values, from: {} });
/** Runs whose specs hold no robustness evaluation: every robust accuracy measured alike. */
const noSpec = () => undefined;
const ACC_BYTES: Objective[] = [{ metric: 'test_accuracy', better: 'max' }, { metric: 'packed_bytes', better: 'min' }];

test('two objectives, mixed directions: the front is the runs no other beats on both', () => {
  const points = [
    pt('big-good', { test_accuracy: 0.98, packed_bytes: 40_000 }),
    pt('small-ok', { test_accuracy: 0.95, packed_bytes: 5_000 }),
    pt('tiny-bad', { test_accuracy: 0.80, packed_bytes: 1_000 }),
    pt('dominated', { test_accuracy: 0.94, packed_bytes: 6_000 }), // small-ok is better on both
    pt('worst', { test_accuracy: 0.70, packed_bytes: 50_000 }),
  ];
  const f = paretoFront(points, ACC_BYTES);
  assert.deepEqual(f.front, ['big-good', 'small-ok', 'tiny-bad']);
  assert.deepEqual(f.rank, { 'big-good': 0, 'small-ok': 0, 'tiny-bad': 0, dominated: 1, worst: 2 }, 'worst is beaten by dominated too');
  assert.deepEqual(f.missing, []);
  // The direction matters: maximising bytes instead keeps the most accurate and the biggest.
  assert.deepEqual(paretoFront(points, [ACC_BYTES[0], { metric: 'packed_bytes', better: 'max' }]).front, ['big-good', 'worst']);
});

test('ties and duplicates: equal points do not dominate each other; a tie on one objective is settled by the other', () => {
  const points = [
    pt('a', { test_accuracy: 0.9, packed_bytes: 100 }),
    pt('a-again', { test_accuracy: 0.9, packed_bytes: 100 }), // a duplicate of a: both stay on the front
    pt('same-acc-bigger', { test_accuracy: 0.9, packed_bytes: 200 }), // ties a on accuracy, loses on bytes
    pt('same-bytes-worse', { test_accuracy: 0.8, packed_bytes: 100 }),
  ];
  const f = paretoFront(points, ACC_BYTES);
  assert.deepEqual(f.front, ['a', 'a-again']);
  assert.equal(f.rank['same-acc-bigger'], 1);
  assert.equal(f.rank['same-bytes-worse'], 1);
  // One objective: every run with the best value is on the front.
  assert.deepEqual(paretoFront(points, [ACC_BYTES[0]]).front, ['a', 'a-again', 'same-acc-bigger']);
});

test('three objectives: a run dominated on two can be on the front through the third', () => {
  const o: Objective[] = [...ACC_BYTES, { metric: 'robust_accuracy', better: 'max' }];
  const points = [
    pt('p', { test_accuracy: 0.97, packed_bytes: 10_000, robust_accuracy: 0.10 }),
    pt('q', { test_accuracy: 0.95, packed_bytes: 12_000, robust_accuracy: 0.60 }), // worse than p on 2 of 3, best robust
    pt('r', { test_accuracy: 0.94, packed_bytes: 12_000, robust_accuracy: 0.60 }), // q beats it
    pt('s', { test_accuracy: 0.90, packed_bytes: 2_000, robust_accuracy: 0.05 }),
  ];
  assert.deepEqual(paretoFront(points, o).front, ['p', 'q', 's']);
  assert.deepEqual(paretoFront(points, ACC_BYTES).front, ['p', 's'], 'without robustness q is dominated by p');
});

test('missing values: a run without an objective is left out of the ranking, never placed at 0', () => {
  const points = [
    pt('full', { test_accuracy: 0.9, packed_bytes: 1000 }),
    pt('no-bytes', { test_accuracy: 0.99 }), // at 0 bytes it would dominate everything
    pt('nothing', {}),
  ];
  const f = paretoFront(points, ACC_BYTES);
  assert.deepEqual(f.front, ['full']);
  assert.deepEqual(f.missing, [{ id: 'no-bytes', metrics: ['packed_bytes'] }, { id: 'nothing', metrics: ['test_accuracy', 'packed_bytes'] }]);
  assert.equal('no-bytes' in f.rank, false);
  // Non-finite values are missing too (a diverged run's loss).
  const run: TradeoffRun = { id: 'nan', kind: 'train', final: { test_loss: NaN, test_accuracy: 0.5 } };
  assert.deepEqual(runValues(run, new Map()).values, { test_accuracy: 0.5 });
});

test('the front matches the definition (no other point dominates) on random points in 2 to 4 objectives', () => {
  const rng = createRng(11);
  for (let trial = 0; trial < 50; trial++) {
    const m = 2 + (trial % 3);
    const o: Objective[] = Array.from({ length: m }, (_, j) => ({ metric: `m${j}`, better: j % 2 ? 'min' : 'max' }));
    // Coarse values make ties and duplicates common.
    const points = Array.from({ length: 25 }, (_, i) => pt(`p${i}`, Object.fromEntries(o.map((x) => [x.metric, Math.floor(rng.next() * 5)]))));
    const better = (a: RunValues, b: RunValues) => {
      const d = o.map((x) => (x.better === 'max' ? a.values[x.metric] - b.values[x.metric] : b.values[x.metric] - a.values[x.metric]));
      return d.every((v) => v >= 0) && d.some((v) => v > 0);
    };
    const expected = points.filter((p) => !points.some((q) => better(q, p))).map((p) => p.id);
    assert.deepEqual(paretoFront(points, o).front, expected);
  }
});

test('objectives take the registry direction, a sweep\'s declared one first; a metric without one is not an objective', () => {
  const { objectives, unknown } = objectivesOf(['test_accuracy', 'packed_bytes', 'eps_0.3/robust_accuracy', 'lr', 'packed_bytes']);
  assert.deepEqual(objectives, [
    { metric: 'test_accuracy', better: 'max' }, { metric: 'packed_bytes', better: 'min' }, { metric: 'eps_0.3/robust_accuracy', better: 'max' },
  ]);
  assert.deepEqual(unknown, ['lr']);
  assert.deepEqual(objectivesOf(['lr'], { lr: 'min' }).objectives, [{ metric: 'lr', better: 'min' }]);
});

test('brush on linear axes: pixels become data ranges, and exactly the points inside are hit', () => {
  const x = { metric: 'test_accuracy', log: false, domain: [0, 1] as [number, number] };
  const y = { metric: 'sparsity', log: false, domain: [0, 1] as [number, number] };
  const ranges = { x: [0, 100] as const, y: [200, 0] as const }; // y grows upwards, pixels downwards
  const brush = brushOf({ x, y }, ranges, [60, 150], [20, 100]); // dragged right-to-left, top-to-bottom
  assert.deepEqual(brush, { x: [0.2, 0.6], y: [0.25, 0.5] });
  const points = [
    pt('in', { test_accuracy: 0.3, sparsity: 0.3 }),
    pt('edge', { test_accuracy: 0.6, sparsity: 0.25 }), // on the border: inside
    pt('right', { test_accuracy: 0.61, sparsity: 0.3 }),
    pt('above', { test_accuracy: 0.3, sparsity: 0.51 }),
    pt('no-y', { test_accuracy: 0.3 }),
  ];
  assert.deepEqual(inBrush(points, { x, y }, brush), ['in', 'edge']);
});

test('brush on a log axis brushes decades: the same pixels select other points than on a linear axis', () => {
  const log = { metric: 'packed_bytes', log: true, domain: [10, 100_000] as [number, number] };
  const lin = { ...log, log: false };
  const y = { metric: 'test_accuracy', log: false, domain: [0, 1] as [number, number] };
  const ranges = { x: [0, 400] as const, y: [100, 0] as const };
  assert.equal(project(log, 1000, ranges.x), 200);
  assert.ok(Math.abs(invert(log, 300, ranges.x) - 10_000) < 1e-6);
  for (const v of [12, 345, 6789, 99_999]) assert.ok(Math.abs(invert(log, project(log, v, ranges.x), ranges.x) - v) < 1e-9 * v);
  const points = [100, 1000, 10_000, 50_000].map((b) => pt(`b${b}`, { packed_bytes: b, test_accuracy: 0.5 }));
  const drag = [[150, 0], [250, 100]] as const; // pixels 150..250 of 400
  const onLog = brushOf({ x: log, y }, ranges, drag[0], drag[1]);
  assert.ok(Math.abs(onLog.x[0] - 10 ** 2.5) < 1e-6 && Math.abs(onLog.x[1] - 10 ** 3.5) < 1e-6, JSON.stringify(onLog));
  assert.deepEqual(inBrush(points, { x: log, y }, onLog), ['b1000']);
  const onLinear = brushOf({ x: lin, y }, ranges, drag[0], drag[1]);
  assert.deepEqual(inBrush(points, { x: lin, y }, onLinear), ['b50000']);
  // A value a log axis cannot show is never inside, even in a brush that spans everything.
  assert.deepEqual(inBrush([pt('zero', { packed_bytes: 0, test_accuracy: 0.5 })], { x: log, y }, { x: [0, 1e9], y: [0, 1] }), []);
});

test('axes: a linear axis stays within what the metric can take; a log axis pads in decades', () => {
  assert.deepEqual(axisFor('test_accuracy', [0.9, 1], false).domain, [0.895, 1]);
  const d = axisFor('packed_bytes', [100, 10_000, 0, NaN], true).domain;
  assert.ok(Math.abs(Math.log10(d[0]) - 1.9) < 1e-9 && Math.abs(Math.log10(d[1]) - 4.1) < 1e-9, String(d));
});

test('lineage edges: from a run to each shown run made from it, none to or from runs not shown', () => {
  const shown = [{ id: 't' }, { id: 'c1', parent: 't' }, { id: 'c2', parent: 't' }, { id: 'e1', parent: 'c1' }, { id: 'orphan', parent: 'gone' }, { id: 'self', parent: 'self' }];
  assert.deepEqual(lineageEdges(shown), [{ from: 't', to: 'c1' }, { from: 't', to: 'c2' }, { from: 'c1', to: 'e1' }]);
  assert.deepEqual(lineageEdges(shown.filter((r) => r.id !== 'c1')), [{ from: 't', to: 'c2' }]);
});

test('an evaluation run takes the metrics it lacks from the model it evaluated; other runs only have their own', () => {
  const runs: TradeoffRun[] = [
    { id: 't', kind: 'train', final: { test_accuracy: 0.97, val_accuracy: 0.96 } },
    { id: 'c', kind: 'compress', parent: 't', final: { test_accuracy: 0.95, packed_bytes: 4000 } },
    { id: 'e', kind: 'evaluate', parent: 'c', final: { robust_accuracy: 0.4, clean_accuracy: 0.94 } },
  ];
  const byId = new Map(runs.map((r) => [r.id, r]));
  assert.deepEqual(runValues(runs[2], byId), {
    id: 'e', values: { robust_accuracy: 0.4, clean_accuracy: 0.94, test_accuracy: 0.95, packed_bytes: 4000 }, from: { test_accuracy: 'c', packed_bytes: 'c' },
  });
  assert.deepEqual(runValues(runs[1], byId).values, { test_accuracy: 0.95, packed_bytes: 4000 }, 'a compressed run does not take its parent\'s metrics: its model is another');
  const sweep = {
    id: 's', name: 'sw', objectives: [{ metric: 'test_accuracy', direction: 'maximize' as const }, { metric: 'lr', direction: 'minimize' as const }],
    trials: [
      { number: 0, state: 'completed', runId: 't', values: [0.5, 0.1] }, { number: 1, state: 'pruned', runId: 'c' }, { number: 2, state: 'failed' },
      { number: 3, state: 'completed', runId: 'deleted', values: [0.9, 0.01] }, { number: 4, state: 'pruned', runId: 'deleted too' },
    ],
  };
  const scoped = scopePoints(runs, [sweep], { sweepId: 's' });
  assert.deepEqual(scoped.points.map((p) => p.values), [{ test_accuracy: 0.5, val_accuracy: 0.96, lr: 0.1 }], 'the trial\'s recorded values over its run\'s');
  assert.deepEqual(scoped.left, [
    { id: 'c', reason: 'trial 1 pruned' },
    { id: 'deleted', reason: 'trial 3: its run was deleted' },
    { id: 'deleted too', reason: 'trial 4 (pruned): its run was deleted' },
  ], 'a trial that never had a run (trial 2) is not a run; one whose run was deleted is said');
  assert.deepEqual(scoped.declared, { test_accuracy: 'max', lr: 'min' });
  assert.deepEqual(scopePoints(runs, [], { runIds: ['c', 'gone'] }).points.map((p) => p.id), ['c']);
});

test('default choice: size on a log x axis, accuracy on y, robust accuracy as colour; a sweep\'s objectives otherwise', () => {
  const points = [pt('a', { test_accuracy: 0.9, packed_bytes: 100, robust_accuracy: 0.3, val_loss: 1 }), pt('b', { test_accuracy: 0.8 })];
  assert.deepEqual(defaultChoice(points), { x: 'packed_bytes', y: 'test_accuracy', color: 'robust_accuracy', logX: true, logY: false, objectives: ['packed_bytes', 'test_accuracy', 'robust_accuracy'] });
  const plain = defaultChoice([pt('a', { val_accuracy: 0.9, val_loss: 0.3 })]);
  assert.deepEqual([plain.x, plain.y, plain.color, plain.logX], ['val_loss', 'val_accuracy', undefined, false]);
  const sweep = defaultChoice(points, ['test_accuracy', 'packed_bytes', 'robust_accuracy']);
  assert.deepEqual([sweep.x, sweep.y, sweep.color, sweep.objectives], ['packed_bytes', 'test_accuracy', 'robust_accuracy', ['test_accuracy', 'packed_bytes', 'robust_accuracy']]);
  const one = defaultChoice([pt('a', { val_accuracy: 0.9, test_accuracy: 0.8, val_loss: 0.3 })], ['val_accuracy']);
  assert.deepEqual([one.y, one.objectives], ['val_accuracy', ['val_accuracy']], 'a one-objective sweep: its objective on y');
  const plot = tradeoffPlot(points, defaultChoice(points), noSpec);
  assert.deepEqual(plot.plotted.map((p) => p.id), ['a']);
  assert.deepEqual(plot.notPlotted, [{ id: 'b', reason: 'no packed_bytes' }]);
  assert.deepEqual(plot.front.missing, [{ id: 'b', metrics: ['packed_bytes', 'robust_accuracy'] }]);
});

test('default x: the size most points have, the packed size first on a tie', () => {
  const dense = pt('dense attacked', { tfjs_bytes: 71_000, test_accuracy: 0.97, robust_accuracy: 0.8 });
  const small = pt('small attacked', { tfjs_bytes: 20_000, packed_bytes: 6_000, test_accuracy: 0.94, robust_accuracy: 0.7 });
  assert.equal(defaultChoice([dense, small]).x, 'tfjs_bytes', 'a model never packed still has the size of its files');
  assert.deepEqual(tradeoffPlot([dense, small], defaultChoice([dense, small]), noSpec).front.front, ['dense attacked', 'small attacked']);
  assert.equal(defaultChoice([small, pt('b', { tfjs_bytes: 1, packed_bytes: 1 })]).x, 'packed_bytes');
});

test('trade-off columns: compression and robustness metrics in a fixed order, each eps after the headline robust accuracy', () => {
  assert.deepEqual(tradeoffMetrics(['test_accuracy', 'eps_0.3/robust_accuracy', 'latency_b1_ms', 'robust_accuracy', 'eps_0.1/robust_accuracy', 'packed_bytes', 'sparsity', 'compression_ratio']),
    ['compression_ratio', 'packed_bytes', 'sparsity', 'robust_accuracy', 'eps_0.1/robust_accuracy', 'eps_0.3/robust_accuracy', 'latency_b1_ms']);
  assert.equal(isTradeoffMetric('eps_0.03/robust_accuracy'), true);
  assert.equal(isTradeoffMetric('apgd-ce/attack_success'), false);
  assert.equal(isTradeoffMetric('test_accuracy'), false);
});

test('a robust accuracy measured under different evaluations is listed as mixed, and no front is ranked over it', () => {
  const evaluated = (eps: number[]) => ({ robustness: { evaluate: { eps, norm: 'linf', attacks: [{ attack: 'apgd-ce' }], points: 100 } } });
  const specs: Record<string, unknown> = { a: evaluated([0.05, 0.1]), b: evaluated([0.05, 0.1]), c: evaluated([0.1]) };
  const points = [
    pt('a', { tfjs_bytes: 100, test_accuracy: 0.9, robust_accuracy: 0.6 }),
    pt('b', { tfjs_bytes: 50, test_accuracy: 0.8, robust_accuracy: 0.5 }),
    pt('c', { tfjs_bytes: 80, test_accuracy: 0.85, robust_accuracy: 0.4 }),
  ];
  const choice = defaultChoice(points);
  assert.deepEqual(choice.objectives, ['tfjs_bytes', 'test_accuracy', 'robust_accuracy']);
  const plot = tradeoffPlot(points, choice, (id) => specs[id]);
  assert.deepEqual(plot.mixed.map((m) => [m.metric, m.evaluations]), [['robust_accuracy', [
    'eps 0.05 (headline), 0.1; linf; 100 points; apgd-ce (2 runs)', 'eps 0.1 (headline); linf; 100 points; apgd-ce (1 run)',
  ]]]);
  assert.equal(plot.noFront, 'robust_accuracy was measured under 2 different robustness evaluations, so its values do not rank against each other');
  assert.deepEqual([plot.front.front, plot.front.rank], [[], {}]);
  // Not an objective, only the colour: still listed as mixed, and the front over the other two is ranked.
  const colourOnly = tradeoffPlot(points, { ...choice, objectives: ['tfjs_bytes', 'test_accuracy'] }, (id) => specs[id]);
  assert.deepEqual([colourOnly.mixed.length, colourOnly.noFront, colourOnly.front.front], [1, undefined, ['a', 'b', 'c']]);
  // Evaluated alike: ranked as before.
  assert.deepEqual(tradeoffPlot(points.slice(0, 2), choice, (id) => specs[id]).front.front, ['a', 'b']);
});

test('an accuracy measured on different data sections is listed as mixed and ranks no front; the model size alone still does', () => {
  const data = (source: string, train: number) => ({ data: { source, split: { train, val: 0.2, test: 0.2 }, normalize: 'scale' } });
  const specs: Record<string, unknown> = { a: data('digits', 0.6), b: data('digits', 0.6), c: data('mnist', 0.8) };
  const points = [
    pt('a', { tfjs_bytes: 100, test_accuracy: 0.9 }),
    pt('b', { tfjs_bytes: 50, test_accuracy: 0.8 }),
    pt('c', { tfjs_bytes: 80, test_accuracy: 0.99 }),
  ];
  const choice = defaultChoice(points);
  const plot = tradeoffPlot(points, choice, (id) => specs[id]);
  assert.deepEqual(plot.mixed, [{ metric: 'test_accuracy', by: 'data', evaluations: [
    'data.source digits, data.split.train 0.6 (2 runs)', 'data.source mnist, data.split.train 0.8 (1 run)',
  ] }]);
  assert.equal(plot.noFront, 'test_accuracy was measured on 2 different data sections, so its values do not rank against each other');
  assert.deepEqual(plot.front.front, []);
  assert.deepEqual(tradeoffPlot(points, { ...choice, objectives: ['tfjs_bytes'] }, (id) => specs[id]).front.front, ['b'], 'a size is the model\'s own');
  assert.deepEqual(tradeoffPlot(points.slice(0, 2), choice, (id) => specs[id]).front.front, ['a', 'b'], 'one data section: ranked');
});

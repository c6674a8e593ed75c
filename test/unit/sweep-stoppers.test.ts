// Trial stoppers on made-up learning curves: ASHA's promotions, non-dominated ranks with several
// objectives, Hyperband's brackets, the median rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ashaDecision, bracketOf, createStopper, rungEpochs, type History, type Trial } from '../../src/core/sweep';
import type { Direction } from '../../src/core/spec';

const trial = (number: number, curve: Record<number, number[]>, state: Trial['state'] = 'running'): Trial =>
  ({ number, params: {}, state, intermediate: curve });

/** Reports epoch `e` for every trial still going, with value quality(number) + 1/e, then asks the stopper about each. */
function syncRound(trials: Trial[], alive: Set<number>, e: number, directions: Direction[], stopper = createStopper({ type: 'asha', minEpochs: 1, eta: 3 }, 27)) {
  for (const t of trials) if (alive.has(t.number)) t.intermediate[e] = [((t.number * 7919) % 27) + 1 / e];
  const history: History = { directions, trials };
  for (const t of trials) if (alive.has(t.number) && stopper.prune(t, history)) alive.delete(t.number);
}

test('ASHA rungs are at minEpochs * eta^k below the full budget', () => {
  assert.deepEqual(rungEpochs({ minEpochs: 1, eta: 3, maxEpochs: 27, offset: 0 }), [1, 3, 9]);
  assert.deepEqual(rungEpochs({ minEpochs: 2, eta: 2, maxEpochs: 20, offset: 1 }), [4, 8, 16]);
  assert.deepEqual(rungEpochs({ minEpochs: 10, eta: 3, maxEpochs: 10, offset: 0 }), []);
});

test('ASHA promotes exactly the top 1/eta at each rung (27 trials, eta 3: 9, then 3, then 1)', () => {
  const trials = Array.from({ length: 27 }, (_, i) => trial(i, {}));
  const alive = new Set(trials.map((t) => t.number));
  const quality = (n: number) => (n * 7919) % 27;
  const expected = [...alive].sort((a, b) => quality(a) - quality(b));
  const sizes: number[] = [];
  for (const e of [1, 3, 9]) {
    syncRound(trials, alive, e, ['minimize']);
    sizes.push(alive.size);
    assert.deepEqual([...alive].sort((a, b) => quality(a) - quality(b)), expected.slice(0, alive.size), `the best survive rung at epoch ${e}`);
  }
  assert.deepEqual(sizes, [9, 3, 1]);
  // Maximising the same numbers keeps the other end.
  const maxTrials = Array.from({ length: 27 }, (_, i) => trial(i, {}));
  const maxAlive = new Set(maxTrials.map((t) => t.number));
  syncRound(maxTrials, maxAlive, 1, ['maximize']);
  assert.deepEqual([...maxAlive].sort((a, b) => quality(b) - quality(a)), expected.slice(-9).reverse());
});

test('ASHA decides asynchronously: a trial continues iff it is in the top 1/eta of those at its rung so far', () => {
  const c = { minEpochs: 1, eta: 2, maxEpochs: 8, offset: 0 };
  const trials: Trial[] = [];
  const values = [5, 3, 8, 1, 9, 4, 2, 7];
  values.forEach((v, i) => {
    const t = trial(i, { 1: [v] });
    trials.push(t);
    const decision = ashaDecision(c, t, { directions: ['minimize'], trials });
    const seen = values.slice(0, i + 1);
    const above = seen.filter((w) => w < v).length;
    assert.equal(decision === undefined, above < Math.max(1, Math.floor(seen.length / 2)), `trial ${i} (value ${v})`);
    if (decision) assert.deepEqual([decision.epoch, decision.rung], [1, 0]);
  });
  // Not a rung: no decision.
  assert.equal(ashaDecision(c, trial(99, { 1: [100], 3: [100] }), { directions: ['minimize'], trials }), undefined);
});

test('with several objectives ASHA ranks by non-dominated front', () => {
  const c = { minEpochs: 1, eta: 3, maxEpochs: 9, offset: 0 };
  // Six trials on the Pareto front (a trade-off) and three dominated ones: loss up, accuracy down.
  const front = [[0.1, 0.80], [0.2, 0.85], [0.3, 0.90], [0.4, 0.92], [0.5, 0.94], [0.6, 0.96]];
  const dominated = [[0.35, 0.88], [0.7, 0.5], [0.9, 0.4]];
  const trials = [...front, ...dominated].map((v, i) => trial(i, { 1: v }));
  const history: History = { directions: ['minimize', 'maximize'], trials };
  // keep = floor(9 / 3) = 3; nobody ranks above a front trial, so all six front trials continue
  // (more than 1/eta: a front cannot be split by rank), and the six above every dominated one prune it.
  for (let i = 0; i < 6; i++) assert.equal(ashaDecision(c, trials[i], history), undefined, `front trial ${i}`);
  for (let i = 6; i < 9; i++) assert.ok(ashaDecision(c, trials[i], history), `dominated trial ${i}`);
  // Judged on the loss alone, front trial 5 (loss 0.6, best accuracy) would be pruned: 6 trials have a lower loss.
  const lossOnly = trials.map((t) => ({ ...t, intermediate: { 1: [t.intermediate[1][0]] } }));
  assert.ok(ashaDecision(c, lossOnly[5], { directions: ['minimize'], trials: lossOnly }));
});

test('Hyperband deals trials to brackets in Hyperband proportions, each judged only against its own bracket', () => {
  const c = { minEpochs: 1, eta: 3, maxEpochs: 9 };
  // S = 2: brackets of 9, 5 and 3 configurations (first rungs at 1, 3 and 9 epochs).
  const counts = [0, 0, 0];
  for (let n = 0; n < 17 * 10; n++) counts[bracketOf(c, n)]++;
  assert.deepEqual(counts, [90, 50, 30]);
  const stopper = createStopper({ type: 'hyperband', minEpochs: 1, eta: 3 }, 9);
  const b0 = Array.from({ length: 17 }, (_, n) => n).filter((n) => bracketOf(c, n) === 0);
  const b1 = Array.from({ length: 17 }, (_, n) => n).find((n) => bracketOf(c, n) === 1)!;
  // A bad trial in bracket 1 at epoch 1: bracket 1 has no rung at epoch 1, so it goes on however good bracket 0 is.
  const trials = [...b0.map((n) => trial(n, { 1: [0.1] })), trial(b1, { 1: [9] })];
  assert.equal(stopper.prune(trials[trials.length - 1], { directions: ['minimize'], trials }), undefined);
  // The same value in bracket 0 is pruned there.
  const late = trial(b0[b0.length - 1] + 17, { 1: [9] });
  assert.equal(bracketOf(c, late.number), 0);
  assert.ok(stopper.prune(late, { directions: ['minimize'], trials: [...trials, late] }));
});

test("Hyperband's last bracket trains fully, also when minEpochs x eta^S falls short of the epochs", () => {
  // 10 epochs from 1 at eta 3: S = 2, and 1 x 3^2 = 9 < 10 would be a rung at epoch 9.
  const c = { minEpochs: 1, eta: 3, maxEpochs: 10 };
  const stopper = createStopper({ type: 'hyperband', minEpochs: 1, eta: 3 }, 10);
  const last = Array.from({ length: 17 }, (_, n) => n).filter((n) => bracketOf(c, n) === 2);
  assert.equal(last.length, 3);
  const good = last.slice(0, 2).map((n) => trial(n, { 9: [0.1] }, 'completed'));
  const bad = trial(last[2], { 9: [9] });
  assert.equal(stopper.prune(bad, { directions: ['minimize'], trials: [...good, bad] }), undefined);
  // Bracket 1 still has its rungs at 3 and 9.
  const b1 = Array.from({ length: 17 }, (_, n) => n).filter((n) => bracketOf(c, n) === 1);
  const peers = b1.slice(0, 4).map((n) => trial(n, { 9: [0.1] }, 'completed'));
  const worst = trial(b1[4], { 9: [9] });
  assert.ok(stopper.prune(worst, { directions: ['minimize'], trials: [...peers, worst] }));
});

test('the median rule prunes below the median of completed trials at the same epoch, after its startup', () => {
  const stopper = createStopper({ type: 'median', startupTrials: 3, warmupEpochs: 1 }, 10);
  const done = [1, 2, 3].map((v, i) => trial(i, { 1: [v], 2: [v] }, 'completed'));
  const ask = (v: number, epoch: number, others = done) => stopper.prune(trial(9, { [epoch]: [v] }), { directions: ['minimize'], trials: [...others, trial(9, { [epoch]: [v] })] });
  assert.ok(ask(2.5, 2), 'worse than the median 2');
  assert.equal(ask(1.5, 2), undefined, 'better than the median');
  assert.equal(ask(10, 1), undefined, 'warm-up epoch');
  assert.equal(ask(10, 2, done.slice(0, 2)), undefined, 'fewer completed trials than startupTrials');
  assert.match(ask(2.5, 2)!.reason, /median of 3 completed trials/);
  // An even count: the median value lies between the two middle ones, and a value between it and the worse one is pruned.
  const four = [1, 2, 3, 4].map((v, i) => trial(i, { 2: [v] }, 'completed'));
  assert.ok(ask(2.6, 2, four), 'worse than the median 2.5');
  assert.equal(ask(2.4, 2, four), undefined, 'better than the median 2.5');
  assert.equal(ask(2.5, 2, four), undefined, 'the median itself is not worse than the median');
  assert.ok(ask(4, 2, [1, 1, 5, 5].map((v, i) => trial(i, { 2: [v] }, 'completed'))), 'worse than the median 3');
});

test('the median rule with two objectives: a front worse than the completed trials\' median front is pruned', () => {
  const stopper = createStopper({ type: 'median', startupTrials: 1, warmupEpochs: 0 }, 10);
  const directions = ['minimize', 'maximize'] as const;
  // Fronts of the completed trials: (1, 9) and (2, 10) front 0, (3, 5) front 1, (4, 1) front 2: median front 0.5.
  const done = [[1, 9], [2, 10], [3, 5], [4, 1]].map((v, i) => trial(i, { 1: v }, 'completed'));
  const ask = (v: number[]) => stopper.prune(trial(9, { 1: v }), { directions: [...directions], trials: [...done, trial(9, { 1: v })] });
  assert.equal(ask([1.5, 9.5]), undefined, 'dominated by none: front 0');
  assert.ok(ask([2.5, 8]), 'dominated by (1, 9) and (2, 10): front 1');
  assert.ok(ask([5, 0]), 'dominated by all: front 3');
});

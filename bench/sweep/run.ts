// The sweep benchmark (bench/sweep/run.sh): every method gets the epochs the grid needs; we record the
// best validation accuracy against training epochs consumed and how many epochs each method needs to
// reach the grid's best, median over seeds. Runs real trials through the same coordinator as `hone sweep`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { startSweep, loadSweepView, withDefaults, type SweepView } from '../../src/core/sweep';
import type { SamplerSpec, StopperSpec } from '../../src/core/spec';
import { commandLine, writeSection } from '../results-md';

const ROOT = resolve(__dirname, '../..');
const MNIST = resolve(ROOT, 'data/mnist');
const SEEDS = Number(process.env.SEEDS ?? 3);
const EPOCHS = Number(process.env.EPOCHS ?? 5);
const GRID_POINTS = 3;

/** lr, hidden units and dropout: a grid of 3 x 3 x 3 = 27 configurations. */
const PARAMETERS = {
  'train.lr': { type: 'float', min: 1e-4, max: 1e-1, log: true },
  'model.layers[0]': { type: 'int', min: 16, max: 256, log: true },
  'model.dropout': { type: 'float', min: 0, max: 0.5 },
};
const GRID_TRIALS = GRID_POINTS ** Object.keys(PARAMETERS).length;
/** Random trials TPE and GP start with (the schema's defaults): until then their draws are random search's. */
const STARTUP = Math.min(withDefaults('tpe').startupTrials, withDefaults('gp').startupTrials);
const BUDGET = GRID_TRIALS * EPOCHS;

interface Method { name: string; sampler: SamplerSpec | { type: string }; stopper?: StopperSpec; trials: number }
const METHODS: Method[] = [
  { name: 'grid', sampler: { type: 'grid', points: GRID_POINTS }, trials: GRID_TRIALS },
  { name: 'random', sampler: { type: 'random' }, trials: GRID_TRIALS },
  { name: 'tpe', sampler: { type: 'tpe' }, trials: GRID_TRIALS },
  // ASHA trials cost fewer epochs each; enough of them to spend the grid's epochs, the curve is cut there.
  { name: 'tpe+asha', sampler: { type: 'tpe' }, stopper: { type: 'asha', minEpochs: 1, eta: 3 }, trials: GRID_TRIALS * 3 },
  { name: 'gp', sampler: { type: 'gp' }, trials: GRID_TRIALS },
];

const spec = (m: Method, seed: number) => ({
  name: `bench-sweep-${m.name}`,
  seed,
  data: { source: 'mnist', path: MNIST, limit: 10000, split: { train: 0.8, val: 0.2, test: 0 }, normalize: 'scale' },
  model: { type: 'mlp', layers: [64], dropout: 0 },
  train: { optimizer: 'adam', epochs: EPOCHS, batchSize: 64 },
  sweep: {
    parameters: PARAMETERS, objectives: [{ metric: 'val_accuracy', direction: 'maximize' }],
    sampler: m.sampler, stopper: m.stopper ?? { type: 'none' }, trials: m.trials, parallel: 2, seed,
  },
});

/** Best val_accuracy after at most `epochs` epochs of training (0 before any trial completed). */
const bestWithin = (v: SweepView, epochs: number): number =>
  Math.max(0, ...v.history.filter((h) => h.cumulativeEpochs <= epochs).map((h) => h.bestSoFar[0] ?? 0));
/** Epochs consumed when the best-so-far first reached `target`, or Infinity. */
const epochsTo = (v: SweepView, target: number): number =>
  v.history.find((h) => (h.bestSoFar[0] ?? 0) >= target)?.cumulativeEpochs ?? Infinity;
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * Why the sweeps measured nothing worth a table, or undefined: a sweep that did not complete, or one with no
 * completed trial (every trial failed: its best would read 0 and the epochs to it 0).
 */
function failure(views: Record<string, SweepView[]>): string | undefined {
  const bad = Object.entries(views).flatMap(([name, vs]) => vs.flatMap((v, i) => {
    if (v.status !== 'completed') return [`${name}, seed ${i + 1}: sweep ${v.status}${v.message ? ` (${v.message})` : ''}`];
    if (!v.counts.completed) return [`${name}, seed ${i + 1}: no trial completed (${v.trials.find((t) => t.message)?.message?.split('\n')[0] ?? 'no message'})`];
    return [];
  }));
  return bad.length ? bad.join('; ') : undefined;
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'hone-bench-sweep-'));
  const started = Date.now();
  const load = loadavg()[0];
  const views: Record<string, SweepView[]> = {};
  try {
    for (let seed = 1; seed <= SEEDS; seed++) {
      for (const m of METHODS) {
        const file = join(work, `${m.name}-${seed}.hone.json`);
        writeFileSync(file, JSON.stringify(spec(m, seed), null, 2));
        const t0 = Date.now();
        const h = startSweep(file, { storeDir: join(work, 'store'), workerPath: join(ROOT, 'dist/worker.js') });
        const rec = await h.done;
        const v = loadSweepView(join(work, 'store'), rec.id);
        (views[m.name] ??= []).push(v);
        const used = v.history[v.history.length - 1]?.cumulativeEpochs ?? 0;
        console.log(`seed ${seed} ${m.name}: best ${bestWithin(v, BUDGET).toFixed(4)} within ${BUDGET} epochs (${v.trials.length} trials, ${used} epochs, ${((Date.now() - t0) / 1000).toFixed(0)} s)`);
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const failed = failure(views);
  if (failed) throw new Error(`the sweeps failed, bench/RESULTS.md left as it was: ${failed}`);
  const gridBest = views.grid.map((v) => bestWithin(v, BUDGET));
  const rows = METHODS.map((m) => {
    const vs = views[m.name];
    const at = (f: number) => median(vs.map((v) => bestWithin(v, Math.floor(BUDGET * f)))).toFixed(4);
    const reach = vs.map((v, i) => epochsTo(v, gridBest[i]));
    const reachText = median(reach) === Infinity ? 'not reached' : `${median(reach)} (${(median(reach) / BUDGET * 100).toFixed(0)}%)`;
    const pruned = median(vs.map((v) => v.counts.pruned));
    return `| ${m.name} | ${at(1 / 9)} | ${at(1 / 3)} | ${at(2 / 3)} | ${at(1)} | ${reachText} | ${reach.map((r) => (r === Infinity ? '-' : r)).join(', ')} | ${median(vs.map((v) => v.history.filter((h) => h.cumulativeEpochs <= BUDGET).length))} | ${pruned} |`;
  });
  const failedTrials = METHODS.flatMap((m) => views[m.name].flatMap((v, i) => (v.counts.failed ? [`${m.name} seed ${i + 1}: ${v.counts.failed}`] : [])));
  const tpeAsha = median(views['tpe+asha'].map((v, i) => epochsTo(v, gridBest[i])));
  const tpe = median(views.tpe.map((v, i) => epochsTo(v, gridBest[i])));
  const section = [
    `MLP (one hidden layer) on a 10,000-image MNIST subset (8,000 train / 2,000 val), Adam, batch 64, ${EPOCHS} epochs per full trial.`,
    `Space: train.lr log-uniform in [1e-4, 0.1], hidden units log-int in [16, 256], dropout in [0, 0.5]; the grid takes ${GRID_POINTS} points of each (${GRID_TRIALS} trials).`,
    `Every method gets the grid's budget of ${BUDGET} training epochs; objective val_accuracy (the final epoch's). Median over ${SEEDS} seeds`,
    '(seed s sets both the spec seed, so data split and initialisation, and the sweep seed). Columns: best val_accuracy within a share of the budget;',
    'epochs until the best-so-far reached the grid\'s own best for that seed (per seed, then the median); trials finished within the budget;',
    `trials pruned (median, over all the trials the sweep ran). Random, TPE and GP draw the same first ${STARTUP} trials for a seed (TPE's and GP's`,
    `random startup uses the same sweep-seeded draws), so their curves coincide until trial ${STARTUP} (${STARTUP * EPOCHS} epochs) and differ only after it.`,
    '',
    '| method | best @ 1/9 budget | @ 1/3 | @ 2/3 | @ full | epochs to grid\'s best (median) | per seed | trials | pruned |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    `Goal: TPE reaches the grid's best with at most 1/3 of the grid's epochs (${Math.floor(BUDGET / 3)}). (Hone's default sampler is \`auto\`: random search for 10 trials or fewer; for a numeric space like this one, the Gaussian process with every third trial TPE's; the \`gp\` row is the GP alone.)`,
    `Measured: TPE alone needs ${tpe === Infinity ? 'more than the whole budget' : `${tpe} epochs`}; TPE with ASHA needs ${tpeAsha === Infinity ? 'more than the whole budget' : `${tpeAsha} epochs`}.`,
    ...(failedTrials.length ? [`Failed trials (they count as spent epochs, never as a best): ${failedTrials.join(', ')}.`] : []),
    '',
    `Wall time ${((Date.now() - started) / 60000).toFixed(1)} min on ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}) shared with other jobs (load average ${load.toFixed(1)} at the start): times are not comparable, epochs are.`,
    `Command: \`${commandLine('bench/sweep/run.sh', ['SEEDS', 'EPOCHS'])}\` (SEEDS=${SEEDS} EPOCHS=${EPOCHS}; \`make bench\` runs it with the defaults, 3 and 5); ${new Date().toISOString().slice(0, 10)}.`,
    '',
  ].join('\n');
  writeSection(join(ROOT, 'bench/RESULTS.md'), 'Sweep', section);
  console.log(section);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

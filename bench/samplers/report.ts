// The "Samplers" section of bench/RESULTS.md from the measured regrets: per seed set, a table of median
// regret and quartiles per problem and method; then the issue's goals checked per problem and seed set.
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { withDefaults } from '../../src/core/sweep';

export const METHODS = ['Hone default', 'Hone TPE', 'Hone TPE, Optuna settings', 'Hone GP', 'Optuna TPE', 'random'] as const;
export type Method = (typeof METHODS)[number];

export interface Cell {
  problem: string;
  method: Method;
  /** The first seed of the set. */
  seed0: number;
  /** Per seed: best value found minus the known minimum. */
  regrets: number[];
  msPerTrial: number;
  /** The sampler Hone's default picked for this problem. */
  defaultIs: string;
}

/** The q-quantile with linear interpolation between order statistics (numpy's default). */
export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  return s[lo] + (h - lo) * ((s[Math.min(lo + 1, s.length - 1)] ?? s[lo]) - s[lo]);
}

const num = (x: number): string => (x === 0 ? '0' : Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3));
const met = (ok: boolean) => (ok ? 'met' : '**missed**');

/**
 * The seed ranges looked at while choosing settings (Hone's TPE defaults and estimators, auto's rule, the
 * GP's lengthscale prior), in these tables or by scratch scripts; a set of a run inside none of them is a hold-out.
 */
export const LOOKED_AT: [number, number][] = [[0, 519], [600, 899], [1000, 4019], [10000, 10399], [20000, 20199]];

interface Options { command: string; seed0s: number[]; seeds: number; trials: number; optuna: string; minutes: number; loadAtStart: number }

export function samplersSection(cells: Cell[], o: Options): string {
  const problems = [...new Set(cells.map((c) => c.problem))];
  const cell = (p: string, m: Method, s: number) => cells.find((c) => c.problem === p && c.method === m && c.seed0 === s)!;
  const med = (p: string, m: Method, s: number) => quantile(cell(p, m, s).regrets, 0.5);
  const range = (s: number) => `seeds ${s}-${s + o.seeds - 1}`;
  const lookedAt = (s: number) => LOOKED_AT.some(([a, b]) => s <= b && s + o.seeds - 1 >= a);
  const holdOut = (s: number) => (lookedAt(s) ? '' : ' (hold-out)');
  const regretTable = (s: number) => [
    `Median regret [first quartile, third quartile], ${range(s)}${holdOut(s)}:`,
    '',
    `| problem | ${METHODS.join(' | ')} | default picked |`,
    `| --- | ${METHODS.map(() => '---').join(' | ')} | --- |`,
    ...problems.map((p) => `| ${p} | ${METHODS.map((m) => {
      const r = cell(p, m, s).regrets;
      return `${num(quantile(r, 0.5))} [${num(quantile(r, 0.25))}, ${num(quantile(r, 0.75))}]`;
    }).join(' | ')} | ${cell(p, 'Hone default', s).defaultIs} |`),
    '',
  ];
  /** The two goals, [default <= Optuna TPE, Hone TPE within 10 %], from each method's median regret. */
  const goals = (median: (m: Method) => number): { text: string; ok: boolean }[] => {
    const [d, t, opt] = [median('Hone default'), median('Hone TPE'), median('Optuna TPE')];
    return [
      { text: `${num(d)} vs ${num(opt)}`, ok: d <= opt },
      { text: `${num(t)} vs ${num(opt)} (${((t / opt - 1) * 100).toFixed(0)}%)`, ok: t <= 1.1 * opt },
    ];
  };
  const shown = (g: { text: string; ok: boolean }) => `${g.text}: ${met(g.ok)}`;
  const goal = (p: string, s: number) => goals((m) => med(p, m, s)).map(shown);
  // The goals on every seed of the run at once: a median of seeds*sets seeds, less at the mercy of one set's draw.
  const pooledRow = (p: string) => `| ${p} | ${goals((m) => quantile(o.seed0s.flatMap((s) => cell(p, m, s).regrets), 0.5)).map(shown).join(' | ')} |`;
  const holdOuts = o.seed0s.filter((s) => !lookedAt(s)).map(range).join(', ');
  const tpe = withDefaults('tpe');
  const missed = o.seed0s.flatMap((s) => problems.flatMap((p) =>
    goals((m) => med(p, m, s)).flatMap((g, k) => (g.ok ? [] : [`${k ? 'Hone TPE' : 'default'} on ${p}, ${range(s)}${holdOut(s)}`]))));
  const speed = METHODS.map((m) => {
    const own = cells.filter((c) => c.method === m);
    return `${m} ${(own.reduce((a, c) => a + c.msPerTrial, 0) / own.length).toFixed(1)}`;
  }).join(', ');
  return [
    `Command: \`${o.command}\` (SEEDS=${o.seeds} SEED0=${o.seed0s.join(',')} TRIALS=${o.trials}); ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores (${cpus()[0]?.model.trim()}), load average ${o.loadAtStart.toFixed(1)} at the start and ${loadavg()[0].toFixed(1)} at the end (the cores shared with other work), ${o.minutes.toFixed(1)} min.`,
    `Minimisation of closed-form problems (definitions and optima from Surjanovic & Bingham's Virtual Library of Simulation Experiments), all`,
    `parameters floats on a linear scale, a budget of **${o.trials} trials**, trials one after another, ${o.seed0s.length} sets of ${o.seeds} seeds.`,
    `Regret = best value found in the ${o.trials} trials minus the global minimum.`,
    `Hone default is what a spec without \`sweep.sampler\` gets (\`auto\`; last column: what it picked for this space and budget); Hone TPE and GP have the schema's`,
    `defaults (TPE: multivariate ${tpe.multivariate}, gamma ${tpe.gamma}; GP: tpeEvery 0); "Hone TPE, Optuna settings" is Hone's TPE univariate with gamma 0.1, as Optuna's defaults.`,
    `Optuna ${o.optuna} (Debian python3-optuna): \`TPESampler(seed=s)\` with every other setting at its default, and \`RandomSampler(seed=s)\` for random search.`,
    `Note: ${o.optuna.startsWith('3.1.') ? `Optuna ${o.optuna}'s univariate kernels` : `Optuna 3.1.0's univariate kernels (the version read; ${o.optuna}, which ran here, was not checked)`} score candidates with truncated-normal log densities that leave out -log(sigma) (\`_truncnorm.logpdf\`),`,
    `so its wide kernels (the prior's above all) weigh more in l(x)/g(x) than in the paper's estimator; Hone's kernels are normalised densities.`,
    `Hone's TPE settings (its joint and per-parameter estimators, gamma ${tpe.gamma}), auto's rule and the GP's lengthscale prior were chosen looking at seeds`,
    `${LOOKED_AT.map(([a, b]) => `${a}-${b}`).join(', ')}. ${holdOuts ? `S${holdOuts.slice(1)}: hold-outs, run only after the choices and used for none.` : 'No set here is a hold-out.'}`,
    '',
    ...o.seed0s.flatMap(regretTable),
    'Goals (median regret): Hone default <= Optuna TPE on every problem; Hone TPE within 10% of Optuna TPE or better.',
    '',
    `| problem | ${o.seed0s.map((s) => `default vs Optuna TPE, ${range(s)}${holdOut(s)}`).join(' | ')} | ${o.seed0s.map((s) => `Hone TPE vs Optuna TPE, ${range(s)}${holdOut(s)}`).join(' | ')} |`,
    `| --- | ${o.seed0s.map(() => '--- | ---').join(' | ')} |`,
    ...problems.map((p) => `| ${p} | ${[0, 1].flatMap((k) => o.seed0s.map((s) => goal(p, s)[k])).join(' | ')} |`),
    '',
    missed.length ? `Missed: ${missed.join('; ')}.` : 'Every goal met in every seed set.',
    '',
    `The same goals on the median of all ${o.seeds * o.seed0s.length} seeds together:`,
    '',
    '| problem | default vs Optuna TPE | Hone TPE vs Optuna TPE |',
    '| --- | --- | --- |',
    ...problems.map(pooledRow),
    '',
    `Mean time per trial, suggestion plus evaluation (ms; Optuna's includes the line protocol to Python): ${speed}.`,
    '',
    // Written by hand from the development runs (the hold-outs played no part): what limits each sampler, and what was tried.
    readFileSync(join(__dirname, 'findings.md'), 'utf8').trim(),
    '',
  ].join('\n');
}

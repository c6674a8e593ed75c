// The sampler benchmark (bench/samplers/run.sh): Hone's default sampler, TPE and GP against Optuna's TPE and
// random search on closed-form problems, the same trial budget and seeds for all; regret = best value
// found - the known minimum. Writes the "Samplers" section of bench/RESULTS.md.
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { createSampler, createSpace, resolveSampler, withDefaults, type ConcreteSamplerSpec, type Space } from '../../src/core/sweep';
import type { SweepParameter } from '../../src/core/spec';
import { commandLine, writeSection } from '../results-md';
import { minimize } from '../../test/helpers/closed-form';
import { PROBLEMS, type Problem } from './problems';
import { startOptuna, type OptunaDriver } from './optuna';
import { METHODS, quantile, samplersSection, type Cell, type Method } from './report';

const ROOT = resolve(__dirname, '../..');
const SEEDS = Number(process.env.SEEDS ?? 20);
/** The first seed of each set of SEEDS seeds; sets outside report.ts's LOOKED_AT are reported as hold-outs. */
const SEED0S = (process.env.SEED0 ?? '0,100,200,300').split(',').map(Number);
const TRIALS = Number(process.env.TRIALS ?? 50);
const ONLY = process.env.PROBLEMS?.split(',');
const ONLY_METHODS = process.env.METHODS?.split(',') as Method[] | undefined;


const spaceOf = (p: Problem): Space =>
  createSpace(Object.fromEntries(p.bounds.map(([min, max], i): [string, SweepParameter] => [`x${i}`, { type: 'float', min, max, log: false }])));

/** TPE and GP with the schema's defaults, as a spec naming only the type gets them. */
const [TPE, GP] = [withDefaults('tpe'), withDefaults('gp')];

function honeRun(spec: ConcreteSamplerSpec, p: Problem, seed: number): number[] {
  const space = spaceOf(p);
  const f = (params: Record<string, unknown>) => p.f(p.bounds.map((_, i) => params[`x${i}`] as number));
  return minimize(createSampler(spec), space, f, TRIALS, seed).map((t) => t.values![0]);
}

async function values(m: Method, p: Problem, seed: number, optuna: OptunaDriver): Promise<number[]> {
  if (m === 'Optuna TPE') return optuna.minimize('tpe', p, TRIALS, seed);
  if (m === 'random') return optuna.minimize('random', p, TRIALS, seed);
  if (m === 'Hone TPE') return honeRun(TPE, p, seed);
  if (m === 'Hone GP') return honeRun(GP, p, seed);
  if (m === 'Hone TPE, Optuna settings') return honeRun({ ...TPE, multivariate: false, gamma: 0.1 }, p, seed);
  const chosen = resolveSampler({ sampler: { type: 'auto' }, trials: TRIALS }, spaceOf(p));
  return honeRun(chosen.sampler, p, seed);
}

async function main(): Promise<void> {
  const started = Date.now();
  const loadAtStart = loadavg()[0];
  const optuna = await startOptuna();
  const cells: Cell[] = [];
  try {
    for (const p of PROBLEMS.filter((q) => !ONLY || ONLY.some((o) => q.name.startsWith(o)))) {
      const picked = resolveSampler({ sampler: { type: 'auto' }, trials: TRIALS }, spaceOf(p)).sampler;
      const defaultIs = picked.type === 'gp' && picked.tpeEvery ? `gp, every ${picked.tpeEvery}rd trial TPE` : picked.type;
      for (const seed0 of SEED0S) {
        for (const m of ONLY_METHODS ?? METHODS) {
          const t0 = Date.now();
          const regrets: number[] = [];
          for (let seed = seed0; seed < seed0 + SEEDS; seed++) regrets.push(Math.min(...(await values(m, p, seed, optuna))) - p.min);
          const msPerTrial = (Date.now() - t0) / (SEEDS * TRIALS);
          cells.push({ problem: p.name, method: m, seed0, regrets, msPerTrial, defaultIs });
          console.log(`${p.name} seeds ${seed0}+ ${m}${m === 'Hone default' ? ` (${defaultIs})` : ''}: median regret ${quantile(regrets, 0.5).toPrecision(3)} (${msPerTrial.toFixed(1)} ms/trial)`);
        }
      }
    }
  } finally {
    optuna.close();
  }
  if (process.env.RAW) writeFileSync(process.env.RAW, JSON.stringify(cells));
  if (ONLY || ONLY_METHODS) return; // a partial run, for a quick look: RESULTS.md keeps the full one
  const section = samplersSection(cells, { command: commandLine('bench/samplers/run.sh', ['SEEDS', 'SEED0', 'TRIALS']), seed0s: SEED0S, seeds: SEEDS, trials: TRIALS, optuna: optuna.version, minutes: (Date.now() - started) / 60000, loadAtStart });
  writeSection(join(ROOT, 'bench/RESULTS.md'), 'Samplers', section);
  console.log(section);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

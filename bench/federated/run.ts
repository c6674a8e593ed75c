// The federated benchmark (bench/federated/run.sh): McMahan et al.'s MNIST setup (100 clients, C 0.1, E 5, B 10),
// rounds to 97/98/99% test accuracy for FedAvg on IID and pathological non-IID data and for FedProx, FedAvgM and
// FedAdam on non-IID data, after timing rounds with 1 and 2 client workers. Every run is a real `hone run`-style
// run (runner, coordinator, client worker processes) in a temporary store. The section of bench/RESULTS.md is
// rewritten after every run (report.ts), so a bench cut short keeps what it measured; a run that fails (or stops
// short of STOP_AT) puts back the section the bench found and exits 1: a failure never replaces measured figures.
// Env: MODEL (lenet5 | cnn | 2nn; default lenet5), ROUNDS_IID (default 40), ROUNDS_NONIID (default 250), MAX_ROUNDS
// (caps both: a bounded run), TIMING_ROUNDS (default 3; 0 skips the timing), ONLY (comma-separated keys of CONFIGS: iid, noniid, fedprox, fedavgm, fedadam, fedavgm_avg),
// CLIENT_LR (the clients' SGD learning rate, default 0.05), CLIENT_SCHEDULE (its train.schedule over the rounds, JSON), FED_<KEY> (JSON merged into that config's `federated`
// section, e.g. FED_FEDAVGM='{"serverLr":0.1}'), STOP_AT (the test accuracy every run stops at; default 0.99 IID, 0.98 non-IID), SEED (default 1).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startRun } from '../../src/core/runner';
import { validateSpec, type Spec } from '../../src/core/spec';
import { busyCores } from '../../src/engine/threads/busy';
import { commandLine, readSection, restoreSection, writeSection } from '../results-md';
import { federatedSection, type Context, type Outcome } from './report';

const ROOT = resolve(__dirname, '../..');
const MAX = Number(process.env.MAX_ROUNDS ?? Infinity);
const ROUNDS_IID = Math.min(MAX, Number(process.env.ROUNDS_IID ?? 40));
const ROUNDS_NONIID = Math.min(MAX, Number(process.env.ROUNDS_NONIID ?? 250));
const TIMING_ROUNDS = Number(process.env.TIMING_ROUNDS ?? 3);
const ONLY = process.env.ONLY?.split(',');
/** The clients' SGD learning rate (McMahan et al. kept the best of a grid per setting). */
const CLIENT_LR = Number(process.env.CLIENT_LR ?? 0.05);
/** The clients' learning-rate schedule over rounds (train.schedule, JSON), e.g. '{"type":"cosine"}'; default constant. */
const CLIENT_SCHEDULE = process.env.CLIENT_SCHEDULE ? JSON.parse(process.env.CLIENT_SCHEDULE) : { type: 'constant' };
const lrText = () => CLIENT_SCHEDULE.type === 'constant' ? String(CLIENT_LR) : `${CLIENT_LR}, schedule over the rounds ${JSON.stringify(CLIENT_SCHEDULE)}`;
/** The seed of every run (the partition, the clients sampled each round, the initial weights). */
const SEED = Number(process.env.SEED ?? 1);
/** The test accuracy at which every run stops; by default each stops at its goal's: 99% IID, 98% non-IID. */
const STOP_AT = process.env.STOP_AT ? Number(process.env.STOP_AT) : undefined;
const stopOf = (c: Config) => STOP_AT ?? (c.iid ? 0.99 : 0.98);

/** The models: LeNet-5 (bench/engine's), and McMahan et al.'s CNN and 2NN (their section 3). */
const MODELS: Record<string, { spec: Record<string, unknown>; text: string }> = {
  lenet5: {
    spec: { type: 'cnn', filters: [6, 16], kernelSize: 5, pool: 2, dense: [120, 84], activation: 'relu' },
    text: 'LeNet-5 (conv 5x5x6, pool, conv 5x5x16, pool, dense 120, 84), not McMahan et al.\'s 1.66M-weight CNN (MODEL=cnn; about 8x the compute per round)',
  },
  cnn: {
    spec: { type: 'cnn', filters: [32, 64], kernelSize: 5, pool: 2, dense: [512], activation: 'relu' },
    text: 'McMahan et al.\'s CNN (conv 5x5x32, pool, conv 5x5x64, pool, dense 512)',
  },
  '2nn': { spec: { type: 'mlp', layers: [200, 200], activation: 'relu' }, text: 'McMahan et al.\'s 2NN (dense 200, 200)' },
};
const MODEL = MODELS[process.env.MODEL ?? 'lenet5'];
if (!MODEL) throw new Error(`MODEL must be one of ${Object.keys(MODELS).join(', ')}`);

interface Config {
  /** What ONLY names. */
  key: string;
  name: string;
  iid: boolean;
  federated: Record<string, unknown>;
}

const CONFIGS: Config[] = [
  { key: 'iid', name: 'FedAvg, IID', iid: true, federated: { algorithm: 'fedavg' } },
  { key: 'noniid', name: 'FedAvg, non-IID', iid: false, federated: { algorithm: 'fedavg' } },
  { key: 'fedprox', name: 'FedProx, non-IID', iid: false, federated: { algorithm: 'fedprox', mu: 0.01 } },
  // FedAvgM and FedAdam at the best points of the grids in RESULTS.md (Federated, the hand-written tables).
  { key: 'fedavgm', name: 'FedAvgM, non-IID', iid: false, federated: { algorithm: 'fedavgm', serverLr: 1.5, serverMomentum: 0.5 } },
  { key: 'fedadam', name: 'FedAdam, non-IID', iid: false, federated: { algorithm: 'fedadam', serverLr: 0.03 } },
  { key: 'fedavgm_avg', name: 'FedAvgM + server averaging, non-IID', iid: false, federated: { algorithm: 'fedavgm', serverLr: 1.5, serverMomentum: 0.5, averageRounds: 6 } },
];

/** A config's federated options with its FED_<KEY> override merged in. */
const optionsOf = (c: Config): Record<string, unknown> => ({ ...c.federated, ...JSON.parse(process.env[`FED_${c.key.toUpperCase()}`] ?? '{}') });

/** The server-side settings of a validated spec, defaults included, as the table's "settings" column. */
function settingsOf(f: NonNullable<Spec['federated']>): string {
  const averaged = f.averageRounds > 1 ? `; scored and saved: the mean of the last ${f.averageRounds} rounds' global models` : '';
  return serverSettings(f) + averaged;
}

function serverSettings(f: NonNullable<Spec['federated']>): string {
  if (f.algorithm === 'fedprox') return `mu ${f.mu}`;
  if (f.algorithm === 'fedavgm') return `server lr ${f.serverLr}, momentum ${f.serverMomentum}`;
  if (f.algorithm === 'fedadam' || f.algorithm === 'fedyogi') return `server lr ${f.serverLr}, beta ${f.beta1}/${f.beta2}, tau ${f.tau}`;
  if (f.algorithm === 'fedadagrad') return `server lr ${f.serverLr}, beta ${f.beta1}, tau ${f.tau}`;
  return `server lr ${f.serverLr}`;
}

function specOf(c: Config, rounds: number, workers: number): Spec {
  const raw = {
    name: `bench-federated-${c.name.replace(/[^A-Za-z]+/g, '-').toLowerCase()}`,
    seed: SEED,
    threads: 1,
    data: { source: 'mnist', path: join(ROOT, 'data/mnist'), split: { train: 1, val: 0, test: 0 }, normalize: 'scale' },
    model: MODEL.spec,
    train: { optimizer: 'sgd', lr: CLIENT_LR, schedule: CLIENT_SCHEDULE },
    federated: {
      rounds, clients: 100, fraction: 0.1, localEpochs: 5, batchSize: 10, workers,
      partition: c.iid ? { type: 'iid' } : { type: 'shards', shardsPerClient: 2 },
      ...optionsOf(c),
    },
  };
  const { spec, problems } = validateSpec(raw, { baseDir: ROOT });
  if (!spec) throw new Error(`bench spec: ${JSON.stringify(problems)}`);
  return spec;
}

/** Runs one federation through the runner, as `hone run` does; stops it once test accuracy reaches `stopAt`. */
async function federate(store: string, c: Config, cap: number, workers: number, stopAt: number): Promise<Outcome> {
  const [load, busy] = [loadavg()[0], await busyCores(1000)];
  const spec = specOf(c, cap, workers);
  const o: Outcome = { name: c.name, settings: settingsOf(spec.federated!), cap, stopAt, lines: [], rec: undefined!, load, busy };
  const h = startRun({ storeDir: store, spec, overrides: [], command: ['bench/federated/run.sh'] }, {
    workerPath: join(ROOT, 'dist/worker.js'),
    onMessage: (m) => {
      if (m.type !== 'epoch') return;
      o.lines.push(m.line);
      const acc = m.line.metrics.test_accuracy;
      const latest = m.line.metrics.test_accuracy_latest;
      const alone = latest === undefined ? '' : ` (the latest model alone: ${(latest * 100).toFixed(2)}%)`;
      process.stdout.write(`  round ${m.line.epoch}: test accuracy ${(acc * 100).toFixed(2)}%${alone} at ${m.line.time.toFixed(0)} s\n`);
      if (acc >= stopAt) h.stop();
    },
  });
  o.rec = await h.done;
  // Stopped counts only as the bench's own stop, at stopAt: another stop (hone stop, a killed worker's) cut the run short.
  const reached = o.lines.some((l) => l.metrics.test_accuracy >= stopAt);
  if (o.rec.status !== 'completed' && !(o.rec.status === 'stopped' && reached)) throw new Error(`${c.name}: ${o.rec.status}: ${o.rec.message}`);
  o.cpu = systemCpu(h.runDir);
  return o;
}

/** Mean CPU of the run's process tree (coordinator and client workers) from its system.jsonl, in cores. */
function systemCpu(runDir: string): string {
  const samples = readFileSync(join(runDir, 'system.jsonl'), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l).cpu as number);
  return samples.length ? (samples.reduce((a, b) => a + b, 0) / samples.length / 100).toFixed(2) : 'n/a';
}

const procLoad = () => readFileSync('/proc/loadavg', 'utf8').trim();

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'hone-bench-federated-'));
  const started = Date.now();
  const ctx: Context = {
    command: commandLine('bench/federated/run.sh', ['MODEL', 'CLIENT_LR', 'CLIENT_SCHEDULE', 'ROUNDS_IID', 'ROUNDS_NONIID', 'MAX_ROUNDS', 'TIMING_ROUNDS', 'ONLY', 'STOP_AT', 'SEED', ...CONFIGS.map((c) => `FED_${c.key.toUpperCase()}`)]),
    model: MODEL.text, cpu: cpus()[0]?.model.trim() ?? 'unknown', cores: cpus().length, loadStart: procLoad(), timingRounds: TIMING_ROUNDS, lr: lrText(), stopAt: STOP_AT === undefined ? '99% (IID) or 98% (non-IID), its goal\'s threshold,' : `${(STOP_AT * 100).toFixed(2)}%`, seed: SEED,
  };
  const runs: Outcome[] = [];
  const timing: Outcome[] = [];
  const file = join(ROOT, 'bench/RESULTS.md');
  const found = readSection(file, 'Federated');
  const write = () => writeSection(file, 'Federated', federatedSection(ctx, runs, timing));
  try {
    // 1 against 2 client workers first (short, and a cut-short bench still has it): the same rounds (FedAvg IID), timed.
    for (const workers of TIMING_ROUNDS > 0 ? [1, 2] : []) {
      process.stdout.write(`timing: ${workers} client worker(s), ${TIMING_ROUNDS} rounds\n`);
      timing.push(await federate(work, CONFIGS[0], TIMING_ROUNDS, workers, 2));
      write();
    }
    for (const c of CONFIGS.filter((c) => !ONLY || ONLY.includes(c.key))) {
      const cap = c.iid ? ROUNDS_IID : ROUNDS_NONIID;
      process.stdout.write(`${c.name} (cap ${cap} rounds)\n`);
      runs.push(await federate(work, c, cap, 2, stopOf(c)));
      write();
    }
    Object.assign(ctx, { loadEnd: procLoad(), minutes: Math.round((Date.now() - started) / 60000) });
    write();
  } catch (e) {
    restoreSection(file, 'Federated', found);
    throw e;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\nbench/federated failed: the Federated section of bench/RESULTS.md is as it was before the bench\n`);
  process.exit(1);
});

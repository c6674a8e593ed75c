// `bash bench/distributed/run.sh` -> section "Distributed" of bench/RESULTS.md. A real redis-server and Hone's
// real sweep coordinator (`hone sweep --queue`'s code, recording into a real store); agents are either
// simulated (bench/distributed/sleep-agents.ts: take the job, sleep, return a record) or real `hone agent`s.
//   1. queue overhead per trial: NOOP_TRIALS (1,000) no-op trials, 8 sleepers of 0 ms, 8 in flight:
//      enqueue -> an agent starts it (run created here -> the agent took it), and end -> recorded here
//      (the agent's end -> run.json written with the result), median and p99;
//   2. trials/hour on this machine with 1, then 2 real agents: REAL_TRIALS digits trials of REAL_EPOCHS;
//   3. 16 simulated agents sleeping SLEEP_MS per trial, SIM_TRIALS trials, 16 in flight: waiting jobs sampled
//      every second (growth would mean the coordinator falls behind), agents' busy share, time per recording.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { Queue } from 'bullmq';
import { parseQueueUrl, PREFIX, QUEUE_NAME, queueTrials, redisOptions, RemoteQueue } from '../../src/core/queue';
import { startSweep } from '../../src/core/sweep';
import { readJson } from '../../test/helpers/cli';
import { makeTmpDir, removeTmpDir } from '../../test/helpers/tmp';
import { RedisServer } from '../../test/helpers/redis';
import { commandLine, writeSection } from '../results-md';
import { backlogLine } from './growth';

const env = (k: string, d: number) => Number(process.env[k] ?? d);
const NOOP_TRIALS = env('NOOP_TRIALS', 1000);
const REAL_TRIALS = env('REAL_TRIALS', 8);
// 100 epochs: a trial of seconds. At 15 (under a second) a trial is mostly starting its worker process, and 1 vs 2
// agents measures process start-up more than training (1.29x at 15, 1.5-1.7x at 100 on 2 cores).
const REAL_EPOCHS = env('REAL_EPOCHS', 100);
const SIM_TRIALS = env('SIM_TRIALS', 320);
const SLEEP_MS = env('SLEEP_MS', 2000);
const ROOT = resolve(__dirname, '../..');

const spec = (name: string, epochs: number, trials: number) => ({
  name, seed: 1, data: { source: 'digits', split: { train: 0.6, val: 0.2, test: 0.2 }, normalize: 'scale' },
  model: { type: 'mlp', layers: [32] }, train: { epochs, batchSize: 16 },
  sweep: { parameters: { 'train.lr': { type: 'float', min: 0.001, max: 0.1, log: true } }, objectives: [{ metric: 'val_accuracy', direction: 'maximize' }], sampler: { type: 'random' }, trials },
});

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const ms = (x: number) => `${x.toFixed(x < 10 ? 1 : 0)} ms`;

/** Every agent process started, so that a failed bench stops them too. */
const children: ChildProcess[] = [];

function child(args: string[], ready: RegExp): Promise<ChildProcess> {
  const c = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(c);
  return new Promise((res, rej) => {
    let out = '';
    c.stdout!.on('data', (b) => {
      out += b;
      if (ready.test(out)) res(c);
    });
    c.on('exit', (code) => rej(new Error(`${args.join(' ')} exited ${code}: ${out}`)));
  });
}
/** Ends an agent; one already gone (exited, or killed by an earlier stop) resolves at once. */
const stop = (c: ChildProcess) => new Promise((r) => (c.exitCode !== null || c.signalCode !== null ? r(0) : (c.once('exit', r), c.kill('SIGTERM'))));

async function sweep(dir: string, name: string, s: object, url: string, parallel: number) {
  const file = join(dir, `${name}.hone.json`);
  writeFileSync(file, JSON.stringify(s));
  const store = join(dir, `store-${name}`);
  const remote = await RemoteQueue.open(parseQueueUrl(url));
  const q = new Queue(QUEUE_NAME, { connection: redisOptions(parseQueueUrl(url)), prefix: PREFIX });
  const samples: number[] = [];
  const timer = setInterval(() => void q.getWaitingCount().then((n) => samples.push(n)), 1000);
  const t0 = Date.now();
  const h = startSweep(file, { storeDir: store, workerPath: join(ROOT, 'dist/worker.js'), parallel, queue: queueTrials(remote, store) });
  const rec = await h.done;
  const wallMs = Date.now() - t0;
  clearInterval(timer);
  await Promise.all([remote.close(), q.close()]);
  const runs = readdirSync(join(store, 'runs')).map((id) => {
    const r = readJson(join(store, 'runs', id, 'run.json'));
    return { ...r, recordedMs: statSync(join(store, 'runs', id, 'run.json')).mtimeMs };
  });
  const completed = rec.trials.filter((t) => t.state === 'completed').length;
  // A trial that did not complete measured no queue round trip and no training: the figures would mix them in.
  const why = [...new Set(rec.trials.filter((t) => t.state !== 'completed').map((t) => `${t.state}: ${t.message}`))];
  if (why.length) throw new Error(`${name}: ${rec.trials.length - completed} of ${rec.trials.length} trials did not complete (${why.join('; ')})`);
  return { wallMs, runs, completed, samples };
}

async function main() {
  const dir = makeTmpDir('hone-bench-dist-');
  const redis = await RedisServer.start({ dir, password: 'bench', appendonly: true });
  const url = redis.url();
  const load0 = loadavg()[0];
  const lines: string[] = [];
  try {
    // 1. Overhead with no-op trials.
    let agents = await child(['--import', 'tsx', 'bench/distributed/sleep-agents.ts', url, '8', '0'], /ready/);
    const noop = await sweep(dir, 'noop', spec('noop', 1, NOOP_TRIALS), url, 8);
    await stop(agents);
    const toStart = noop.runs.map((r) => Date.parse(r.started) - Date.parse(r.created));
    const toRecord = noop.runs.map((r) => r.recordedMs - Date.parse(r.finished));
    lines.push(`### Queue overhead per trial: ${NOOP_TRIALS} no-op trials`, '',
      `8 simulated agents that return at once, 8 trials in flight; ${noop.completed} of ${NOOP_TRIALS} recorded completed, in ${(noop.wallMs / 1000).toFixed(1)} s (${(noop.completed / (noop.wallMs / 1000)).toFixed(0)} trials/s).`, '',
      '| step | median | p99 |', '| --- | --- | --- |',
      `| enqueue -> agent starts (run created here -> agent took the job) | ${ms(pct(toStart, 0.5))} | ${ms(pct(toStart, 0.99))} |`,
      `| agent ends -> recorded here (run.json with the result written) | ${ms(pct(toRecord, 0.5))} | ${ms(pct(toRecord, 0.99))} |`, '');

    // 2. Real agents, 1 then 2.
    const real: number[] = [];
    lines.push(`### Trials/hour, 1 vs 2 real agents on this machine's ${cpus().length} cores`, '',
      `Digits MLP [32], batch 16, ${REAL_EPOCHS} epochs per trial, ${REAL_TRIALS} trials, one trial per agent at a time.`, '');
    for (const n of [1, 2]) {
      const procs = [];
      for (let i = 0; i < n; i++) procs.push(await child(['bin/hone.js', 'agent', '--queue', url, '--name', `real-${n}-${i}`], /agent real-/));
      const r = await sweep(dir, `real${n}`, spec(`real${n}`, REAL_EPOCHS, REAL_TRIALS), url, n);
      await Promise.all(procs.map(stop));
      real.push(r.completed / (r.wallMs / 3_600_000));
      lines.push(`- ${n} agent${n > 1 ? 's' : ''}: ${r.completed}/${REAL_TRIALS} trials of ${REAL_EPOCHS} epochs in ${(r.wallMs / 1000).toFixed(1)} s = **${real.at(-1)!.toFixed(0)} trials/hour**`);
    }
    lines.push(`- speed-up 2 agents / 1 agent: **${(real[1] / real[0]).toFixed(2)}x** (goal >= 1.7x)`, '');

    // 3. Sixteen simulated agents.
    agents = await child(['--import', 'tsx', 'bench/distributed/sleep-agents.ts', url, '16', String(SLEEP_MS)], /ready/);
    const sim = await sweep(dir, 'sim', spec('sim', 1, SIM_TRIALS), url, 16);
    await stop(agents);
    const ideal = (SIM_TRIALS / 16) * SLEEP_MS;
    const rec16 = sim.runs.map((r) => r.recordedMs - Date.parse(r.finished));
    lines.push(`### 16 simulated agents`, '',
      `16 agents sleeping ${SLEEP_MS} ms per trial, ${SIM_TRIALS} trials, 16 in flight: ${sim.completed}/${SIM_TRIALS} completed in ${(sim.wallMs / 1000).toFixed(1)} s against ${(ideal / 1000).toFixed(1)} s if every agent were busy all the time (agents busy ${((100 * ideal) / sim.wallMs).toFixed(0)}% of the time).`,
      backlogLine(sim.samples),
      `Agent ends -> recorded here: median ${ms(pct(rec16, 0.5))}, p99 ${ms(pct(rec16, 0.99))}.`, '');
  } finally {
    await Promise.all(children.map(stop));
    await redis.stop();
    removeTmpDir(dir);
  }
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  lines.push(`${cpu}, ${cpus().length} cores shared with other jobs; load average ${load0.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end.`,
    `Command: \`${commandLine('bench/distributed/run.sh', ['NOOP_TRIALS', 'REAL_TRIALS', 'REAL_EPOCHS', 'SIM_TRIALS', 'SLEEP_MS'])}\` (NOOP_TRIALS=${NOOP_TRIALS} REAL_TRIALS=${REAL_TRIALS} REAL_EPOCHS=${REAL_EPOCHS} SIM_TRIALS=${SIM_TRIALS} SLEEP_MS=${SLEEP_MS}); ${new Date().toISOString().slice(0, 10)}.`);
  const body = lines.join('\n');
  process.stdout.write(body + '\n');
  if (!process.env.NO_WRITE) writeSection(join(ROOT, 'bench/RESULTS.md'), 'Distributed', body);
}

main().catch((e) => {
  process.stderr.write(`bench/distributed failed, bench/RESULTS.md left as it was: ${e.stack}\n`);
  process.exit(1);
});

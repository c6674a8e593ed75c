/**
 * How many threads one run's wasm backend gets. Explicit counts win in this order: the spec's
 * `threads`, then the HONE_THREADS environment variable (a machine-wide setting; the extension can
 * set it). 0 or absent means auto: the run's fair share of the cores, floor(cores / runs), where
 * `runs` is how many Hone runs share the machine (HONE_PARALLEL_RUNS when a launcher sets it, else
 * the live workers of this installation, live-workers.ts), and no more than the cores other work
 * leaves idle (busy.ts): a thread that waits for a busy core makes every step of the run wait for it,
 * so on a machine busy elsewhere two threads train slower than one. TF.js's threaded build has 8
 * pthreads at most, so counts are clamped to [1, MAX_THREADS]. Auto also keeps a small model on one
 * thread: below MIN_STEP_MACS multiply-adds per step, handing each op to the pthread pool costs more
 * than splitting it saves.
 */
export const MAX_THREADS = 8;

/**
 * Forward multiply-adds per training step (per-sample MACs x batch) under which auto picks one thread.
 * Measured on 2 cores (AMD EPYC, quiet) with `hone run examples/digits-mlp.hone.json --set threads=1|2`
 * over widths and batches: 2 threads took 1.46x as long at 2.7 M MACs per step, 1.08x at 9.6 M, and
 * were faster from about 30 M on (0.90x at 38 M, 0.81x at 145 M); the engine bench's MNIST MLP (43 M)
 * gains 1.41x and LeNet-5 (44 M at batch 64) 1.19x.
 */
export const MIN_STEP_MACS = 25e6;

export interface ThreadsInput {
  /** The spec's `threads` (0 or absent: auto). */
  spec?: number;
  /** The environment: HONE_THREADS, HONE_PARALLEL_RUNS. */
  env: Record<string, string | undefined>;
  /** Cores this process may use (os.availableParallelism()). */
  cores: number;
  /** Live Hone runs on this machine, this one included (1 when unknown). */
  runs: number;
  /** Cores kept busy by other processes just before the run starts (0 when unknown). */
  busy: number;
  /** Forward multiply-adds of one training step (undefined when unknown: no small-model rule). */
  stepMacs?: number;
}

export interface ThreadsChoice {
  threads: number;
  /** Where the count came from, for run.json and the log. */
  why: string;
}

/** A count written in decimal digits only (`4`, not `4.0`, `0x4` or `1e1`); undefined otherwise. */
const countIn = (v: string | undefined): number | undefined => (v !== undefined && /^\s*\d+\s*$/.test(v) ? Number(v) : undefined);

const clamp = (n: number) => Math.min(MAX_THREADS, Math.max(1, n));

/** How a count asked for reads in `why`: with the clamp when it was above MAX_THREADS. */
const asked = (what: string, n: number) => (n > MAX_THREADS ? `${what} (at most ${MAX_THREADS}: the threaded build's pthreads)` : what);

/** Whether the count is left to resolveThreads' auto rule (neither the spec nor HONE_THREADS sets it). */
export const isAuto = (spec: number | undefined, env: ThreadsInput['env']): boolean => !(spec && spec > 0) && !countIn(env.HONE_THREADS);

export function resolveThreads(i: ThreadsInput): ThreadsChoice {
  if (i.spec && i.spec > 0) return { threads: clamp(i.spec), why: asked(`spec threads ${i.spec}`, i.spec) };
  const env = countIn(i.env.HONE_THREADS);
  if (env) return { threads: clamp(env), why: asked(`HONE_THREADS=${env}`, env) };
  // A value that is not a count is said, not silently taken as auto.
  const ignored = i.env.HONE_THREADS?.trim() && env === undefined ? `HONE_THREADS=${JSON.stringify(i.env.HONE_THREADS)} is not a whole number, ignored; ` : '';
  const choice = autoThreads(i);
  return ignored ? { ...choice, why: ignored + choice.why } : choice;
}

/** The auto rule: the fair share of the cores within the idle ones, one thread for a small model. */
function autoThreads(i: ThreadsInput): ThreadsChoice {
  const declared = countIn(i.env.HONE_PARALLEL_RUNS);
  const runs = Math.max(1, declared || i.runs);
  const share = Math.floor(i.cores / runs);
  const idle = Math.round(i.cores - i.busy);
  const whose = declared ? `HONE_PARALLEL_RUNS=${declared}` : `${runs} live run${runs > 1 ? 's' : ''}`;
  const why = `auto: ${i.cores} core${i.cores > 1 ? 's' : ''} / ${whose}`;
  const fair = idle >= share ? { threads: clamp(share), why } : { threads: clamp(idle), why: `${why} = ${share}, but other work keeps ${i.busy.toFixed(1)} busy` };
  if (fair.threads === 1 || i.stepMacs === undefined || i.stepMacs >= MIN_STEP_MACS) return fair;
  return { threads: 1, why: `${fair.why}; 1 thread: a step is ${(i.stepMacs / 1e6).toPrecision(2)} M multiply-adds, under the ${MIN_STEP_MACS / 1e6} M where a second thread pays` };
}

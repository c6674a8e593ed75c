/**
 * The coordinator of one sweep session: the only writer of sweep.json. It suggests trials, launches their
 * runs (at most `parallel` at once), feeds each epoch to the stopper, records every outcome, and on a
 * resumed sweep first settles the trials the previous session left running.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createRng, derive } from '../rng';
import { formatProblems } from '../spec/load';
import { withAbsolutePaths } from '../spec/absolute-paths';
import { trialSpec } from '../spec/trial';
import { plannedEpochs } from '../compress/plan';
import { readMetrics, reconcileRun, runDirOf } from '../store';
import { FINAL_STATUSES, type MetricLine, type RunRecord, type RunStatus } from '../store/types';
import { STOP_FILE, writeSweepRecord, type SweepRecord, type TrialRecord } from './record';
import { createSpace, type Space } from './space';
import { createSampler, resolveSampler } from './samplers';
import { createStopper } from './stoppers';
import { adoptTrialRun, launchTrialRun, notePruned, trialRunIds, type LaunchTrial, type TrialRun } from './trial-run';
import { outcomeOf } from './outcome';
import type { History, Sampler, TrialStopper } from './types';

export type SweepEvent =
  | { type: 'sweep-started'; record: SweepRecord }
  | { type: 'trial-started'; trial: TrialRecord; how: 'new' | 'rerun' | 'adopted' }
  | { type: 'trial-epoch'; trial: TrialRecord; epoch: number }
  | { type: 'trial-ended'; trial: TrialRecord }
  /** Its run was cut short by the sweep stopping: the trial stays `running` in sweep.json and re-runs on resume. */
  | { type: 'trial-interrupted'; trial: TrialRecord }
  | { type: 'sweep-ended'; record: SweepRecord };

export interface CoordinatorOptions {
  storeDir: string;
  workerPath: string;
  versions?: Record<string, string>;
  parallel: number;
  onEvent?: (e: SweepEvent) => void;
  /**
   * Starts a trial's run (default `launchTrialRun`: a worker at once). The extension passes its run queue
   * here, so trials wait for a slot with every other run and `hone.maxParallelRuns` holds for them too.
   */
  launchTrial?: (o: LaunchTrial) => TrialRun;
  /**
   * Follows a trial's run that a previous session left on a queue (its record has `remote`): the queue's
   * state, not this machine's processes, says whether it still trains. Given with a queue's `launchTrial`.
   */
  adoptTrial?: (runId: string, onLine: (line: MetricLine) => void) => TrialRun;
}

const now = () => new Date().toISOString();

/** How a run ends when it was cut short rather than finished: its trial re-runs on resume. */
const CUT_SHORT: readonly RunStatus[] = ['stopped', 'crashed'];

/** Trials in a row that fail before their run starts (a data file gone, a refused spec) before the sweep stops itself. */
const UNSTARTED_LIMIT = 10;

export class Coordinator {
  private readonly space: Space;
  private readonly sampler: Sampler;
  private readonly stopper: TrialStopper;
  private readonly started = Date.now();
  private readonly elapsedBefore: number;
  private readonly live = new Map<number, TrialRun>();
  private stopping = false;
  private exhausted = false;
  /** Trials in a row that failed before their run started, and why the last did. */
  private unstarted = { count: 0, why: '' };
  /** Why the sweep stopped itself, when it did. */
  private halted?: string;

  constructor(private readonly rec: SweepRecord, private readonly dir: string, private readonly o: CoordinatorOptions) {
    this.space = createSpace(rec.sweep.parameters);
    this.sampler = createSampler(resolveSampler(rec.sweep, this.space).sampler);
    this.stopper = createStopper(rec.sweep.stopper, rec.epochs);
    this.elapsedBefore = rec.elapsedMs;
  }

  /** Stops every running trial; the sweep ends `stopped`, and its interrupted trials re-run on resume. */
  stop(): void {
    if (this.stopping) return;
    this.stopping = true;
    for (const run of this.live.values()) run.stop();
  }

  async run(): Promise<SweepRecord> {
    const jobs = new Set<Promise<void>>();
    const add = (job: Promise<void>) => {
      const tracked: Promise<void> = job.then(() => void jobs.delete(tracked));
      jobs.add(tracked);
    };
    this.o.onEvent?.({ type: 'sweep-started', record: this.rec });
    const watch = setInterval(() => existsSync(join(this.dir, STOP_FILE)) && this.stop(), 500);
    try {
      const reruns = this.recover(add);
      this.save();
      for (;;) {
        while (!this.stopping && jobs.size < this.o.parallel) {
          const next = reruns.shift();
          const trial = next ?? this.suggest();
          if (!trial) break;
          add(this.launch(trial, next ? 'rerun' : 'new'));
        }
        if (!jobs.size) break;
        await Promise.race(jobs);
        // Trials that fail before their run starts settle without I/O: give the stop watch and signals a turn.
        await new Promise((r) => setImmediate(r));
        if (this.unstarted.count >= UNSTARTED_LIMIT && !this.stopping) {
          this.halted = `stopped: ${this.unstarted.count} trials in a row could not start (the last: ${this.unstarted.why}); fix that and resume`;
          this.stop();
        }
      }
    } finally {
      clearInterval(watch);
    }
    this.rec.status = this.stopping ? 'stopped' : 'completed';
    this.rec.finished = now();
    this.rec.message = this.stopping ? this.halted ?? 'stopped on request' : this.endReason();
    delete this.rec.coordinator;
    this.save();
    this.o.onEvent?.({ type: 'sweep-ended', record: this.rec });
    return this.rec;
  }

  private elapsedMs = () => this.elapsedBefore + (Date.now() - this.started);

  private save(): void {
    this.rec.elapsedMs = this.elapsedMs();
    writeSweepRecord(this.dir, this.rec);
  }

  private history = (): History => ({ directions: this.rec.sweep.objectives.map((o) => o.direction), trials: this.rec.trials });

  private endReason(): string {
    const ended = this.budgetReason();
    const failed = this.rec.trials.filter((t) => t.state === 'failed').length;
    return this.rec.trials.some((t) => t.state === 'completed') ? ended : `${ended}; no trial completed (${failed} failed)`;
  }

  private budgetReason(): string {
    if (this.exhausted) return `every combination tried (${this.rec.trials.length})`;
    const { trials, timeLimit } = this.rec.sweep;
    if (trials !== undefined && this.rec.trials.length >= trials) return `budget of ${trials} trials used`;
    return `time limit of ${timeLimit} s reached`;
  }

  /** A new trial from the sampler, or undefined when the budget is spent or nothing is left to try. */
  private suggest(): TrialRecord | undefined {
    const { trials, timeLimit, seed } = this.rec.sweep;
    if (this.exhausted || (trials !== undefined && this.rec.trials.length >= trials)) return undefined;
    if (timeLimit !== undefined && this.elapsedMs() >= timeLimit * 1000) return undefined;
    const number = this.rec.trials.length;
    const params = this.sampler.suggest(this.space, this.history(), createRng(derive(seed, 'suggest', number)));
    if (!params) return void (this.exhausted = true);
    const trial: TrialRecord = { number, params, state: 'running', intermediate: {}, epochs: 0, started: now() };
    this.rec.trials.push(trial);
    return trial;
  }

  private async launch(t: TrialRecord, how: 'new' | 'rerun'): Promise<void> {
    const built = trialSpec(this.rec.raw, t.params, this.rec.baseDir);
    if (!built.spec) return this.unstartable(t, formatProblems('trial spec', built.problems));
    // Its run's metric lines, as run.json plans them: a compress section's retraining epochs follow training's.
    t.planned = plannedEpochs(built.spec, 'train');
    let run: TrialRun;
    try {
      run = (this.o.launchTrial ?? launchTrialRun)({
        storeDir: this.o.storeDir, workerPath: this.o.workerPath, versions: this.o.versions,
        spec: withAbsolutePaths(built.spec, this.rec.baseDir), specPath: this.rec.specPath, overrides: built.overrides,
        sweep: { id: this.rec.id, trial: t.number }, onLine: (line) => this.onLine(t, line),
        onQueued: (runId) => {
          t.runId = runId;
          this.save();
        },
      });
    } catch (e) {
      return this.unstartable(t, `could not start its run: ${(e as Error).message}`);
    }
    this.unstarted.count = 0;
    this.o.onEvent?.({ type: 'trial-started', trial: t, how });
    await this.follow(t, run, 'could not start its run');
  }

  /**
   * Waits for a trial's run and settles it. A run whose `done` rejects (a worker that could not be
   * spawned: EMFILE, EAGAIN) fails its trial, `failure` saying how; the sweep goes on with the others.
   */
  private async follow(t: TrialRecord, run: TrialRun, failure: string): Promise<void> {
    this.live.set(t.number, run);
    if (this.stopping) run.stop();
    const ended = await run.done.then((rec) => ({ rec }), (e: unknown) => ({ error: e instanceof Error ? e.message : String(e) }));
    this.live.delete(t.number);
    if ('error' in ended) return this.end(t, { state: 'failed', message: `${failure}: ${ended.error}` });
    await this.settle(t, ended.rec);
  }

  /**
   * An epoch of a running trial: record its objective values, then let the stopper judge it. Only a
   * training epoch is judged: compression lines retrain a compressed model (compress stages),
   * whose values drop with the compression a trial asked for, not with how well it trains. An epoch the
   * trial already has was judged by the session that recorded it (an adopted run replays its metrics from
   * the first epoch): judged again against today's history, ASHA would take back a promotion it had made.
   */
  private onLine(t: TrialRecord, line: MetricLine): void {
    if (!this.record(t, line)) return;
    const judged = !this.stopping && this.training(line);
    const pruning = judged ? this.stopper.prune(t, this.history()) : undefined;
    if (pruning) {
      t.pruned = pruning;
      this.live.get(t.number)?.stop();
    }
    this.save();
    this.o.onEvent?.({ type: 'trial-epoch', trial: t, epoch: line.epoch });
  }

  /**
   * Whether `line` is a training epoch. A compress section's retraining follows training's last epoch, which
   * is before `rec.epochs` when training stopped early (early stopping, Fast-AT's collapse guard): its
   * lines say their stage.
   */
  private training(line: MetricLine): boolean {
    return !line.stage && line.epoch <= this.rec.epochs;
  }

  /**
   * Records a new epoch's objective values of a running, unpruned trial; false when there is nothing new to
   * record. A compression line numbered among the training epochs is no value of that epoch: the stoppers
   * compare other trials' training epochs with what is kept here.
   */
  private record(t: TrialRecord, line: MetricLine): boolean {
    if (t.state !== 'running' || t.pruned || t.intermediate[line.epoch]) return false;
    const values = this.rec.sweep.objectives.map((o) => line.metrics[o.metric]);
    if (!values.every(Number.isFinite)) return false;
    if (this.training(line) || line.epoch > this.rec.epochs) t.intermediate[line.epoch] = values;
    t.epochs = line.epoch;
    return true;
  }

  /** Records the epochs of run `runId` (its metrics.jsonl) that trial `t` has not recorded yet, judging none. */
  private replay(t: TrialRecord, runId: string): void {
    readMetrics(runDirOf(this.o.storeDir, runId)).lines.forEach((line) => this.record(t, line));
  }

  /** Records how a trial's run ended; an interrupted one stays `running` (to re-run on resume). */
  private async settle(t: TrialRecord, run: RunRecord | undefined): Promise<void> {
    const out = outcomeOf(t, run, this.rec.sweep.objectives.map((o) => o.metric), this.stopping);
    if (out.state === 'interrupted') {
      this.save();
      return void this.o.onEvent?.({ type: 'trial-interrupted', trial: t });
    }
    // A stop that came too late: its run trained on to the end, and completed the trial.
    if (out.state === 'completed') delete t.pruned;
    // Epochs its run trained that the trial has not recorded: while no coordinator watched (a resume settles
    // such runs), or after that stop (`record` refused the pruned trial's): its curve, and its place at the
    // stoppers' rungs. A pruned trial keeps the epochs it was judged on.
    if (run && out.state !== 'pruned') this.replay(t, run.id);
    if (out.state === 'pruned' && t.runId) await notePruned(this.o.storeDir, t.runId, `pruned by sweep ${this.rec.id} (trial ${t.number}) at ${t.pruned!.reason}`);
    // When its run ended, not when it was settled: a resume settles at once runs that ended hours apart.
    this.end(t, { ...out, ...(run?.finished && { finished: run.finished }) });
  }

  /** Fails trial `t`, whose run never started, saying why. */
  private unstartable(t: TrialRecord, why: string): void {
    this.unstarted = { count: this.unstarted.count + 1, why: why.slice(0, 300) };
    this.end(t, { state: 'failed', message: why });
  }

  /** Ends trial `t` with `patch`, `finished` now unless the patch says when. */
  private end(t: TrialRecord, patch: Partial<TrialRecord>): void {
    Object.assign(t, { finished: now() }, patch);
    this.save();
    this.o.onEvent?.({ type: 'trial-ended', trial: t });
  }

  /**
   * Settles the trials a previous session left `running`: a run that ended on its own while no coordinator
   * watched (completed, failed, diverged), or a pruned trial's, is recorded; one still training is adopted;
   * one stopped or crashed (cut short, not finished), or gone, is returned to re-run with the same number
   * and parameters, its run kept as an interrupted attempt.
   */
  private recover(add: (job: Promise<void>) => void): TrialRecord[] {
    const reruns: TrialRecord[] = [];
    for (const t of this.rec.trials.filter((x) => x.state === 'running')) {
      t.runId ??= this.unrecordedRun(t);
      const run = t.runId ? reconcileRun(runDirOf(this.o.storeDir, t.runId)) : undefined;
      // A remote run marked crashed only lost its coordinator (this process's predecessor); its job may live on.
      const remote = run?.remote && this.o.adoptTrial && (run.status === 'crashed' || !FINAL_STATUSES.includes(run.status));
      if (run && (remote || !FINAL_STATUSES.includes(run.status))) {
        // Its recorded epochs and a pruning stand (the session that pruned it asked its run to stop first).
        const onLine = (line: MetricLine) => this.onLine(t, line);
        const adopted = remote ? this.o.adoptTrial!(run.id, onLine) : adoptTrialRun(this.o.storeDir, run.id, onLine);
        this.o.onEvent?.({ type: 'trial-started', trial: t, how: 'adopted' });
        add(this.follow(t, adopted, 'could not follow its run'));
      } else if (run && (t.pruned || !CUT_SHORT.includes(run.status))) {
        // settle records the epochs it trained while no coordinator watched.
        add(this.settle(t, run));
      } else {
        if (t.runId) t.interrupted = [...(t.interrupted ?? []), t.runId];
        Object.assign(t, { intermediate: {}, epochs: 0, started: now() });
        delete t.runId;
        delete t.pruned;
        reruns.push(t);
      }
    }
    return reruns;
  }

  /**
   * A run tagged with this trial that sweep.json does not name (written by a version that recorded the
   * run only after starting its worker, or by hand): the newest one not already an interrupted attempt.
   */
  private unrecordedRun(t: TrialRecord): string | undefined {
    return trialRunIds(this.o.storeDir, this.rec.id, t.number).filter((id) => !t.interrupted?.includes(id)).pop();
  }
}

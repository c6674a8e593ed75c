/**
 * The evaluate worker: `node robust-worker.js <runDir>` (entered through worker-entry.ts), for runs of kind
 * `evaluate` that `hone attack` (core/robust/evaluate-run.ts) queued. It owns its run folder like the
 * training worker: run.json (status, heartbeat, results), metrics.jsonl (one line per eps), log.txt. The
 * model it attacks is its parent's `model/`, which it only reads.
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { format } from 'node:util';
import { appendLog, appendMetric, thisProcess, readRunRecord, STOP_FILE, tryWrite, writeRunRecord, explainWriteError } from '../../core/store';
import { kindOf, type RunRecord } from '../../core/store/types';
import { HEARTBEAT_MS, type WorkerMessage } from '../../core/protocol';
import { modelBytes } from '../../core/compress/sizes';
import { robustMetrics } from '../../core/robust/metrics';
import type { Spec } from '../../core/spec/types';
import { startSystemSampler } from '../../core/system-metrics';
import { loadDataset } from '../data';
import { dataProvenance } from '../data-hash';
import { backendForRun } from '../run-backend';
import { requestStop, stopRequested } from '../stop-signal';
import { evaluateModelDir } from './evaluate-model';
import { StopRequested, stoppableTick } from './in-run';
import { epsLogLine, flagLogLine } from './log-lines';

const runDir = process.argv[2];
const send = (m: WorkerMessage, then?: () => void) => {
  if (process.send && process.connected) process.send(m, undefined, {}, () => then?.());
  else then?.();
};
const now = () => new Date().toISOString();
const log = (text: string) => void tryWrite(() => appendLog(runDir, `${now()} ${text}\n`));
for (const level of ['log', 'info', 'warn', 'error'] as const) console[level] = (...args: unknown[]) => log(format(...args));

async function main(): Promise<RunRecord> {
  const rec = readRunRecord(runDir);
  if (!rec) throw new Error(`no readable run.json in ${runDir}`);
  if (kindOf(rec) !== 'evaluate' || !rec.parent) throw new Error(`run ${rec.id} is not an evaluate run with a parent`);
  const spec = rec.spec as Spec;
  const save = (patch: Partial<RunRecord>) => writeRunRecord(runDir, Object.assign(rec, patch, { heartbeat: now() }));
  const t0 = Date.now();
  save({ status: 'running', ...thisProcess(), started: now(), versions: { ...rec.versions, tfjs: tf.version.tfjs } });
  const beat = setInterval(() => {
    if (existsSync(join(runDir, STOP_FILE))) requestStop();
    tryWrite(() => save({}));
  }, HEARTBEAT_MS);
  const sampler = startSystemSampler(runDir);
  try {
    const { backend, line } = await backendForRun(spec);
    log(line);
    save({ backend });
    send({ type: 'started', backend });
    // The data as a training run records them (its spec's data, split and normalised): the attacked model's
    // own run has the same hash while the data are unchanged. The attack itself reads them raw (evaluate-model.ts).
    if (rec.provenance) save({ provenance: { ...rec.provenance, data: dataProvenance(loadDataset(spec.data, spec.seed, process.cwd()), spec.data, process.cwd()) } });
    const source = join(dirname(runDir), rec.parent);
    const loadMs = Date.now() - t0;
    let step = 0;
    const modelDir = join(source, 'model');
    const report = await evaluateModelDir(modelDir, spec, {
      baseDir: process.cwd(), run: rec.parent, log, tick: stoppableTick(stopRequested),
      onEps: (r) => {
        step++;
        const metrics = { eps: r.eps, robust_accuracy: r.robustAccuracy, robust_accuracy_low: r.ci[0], robust_accuracy_high: r.ci[1] };
        const line = { epoch: step, step, time: (Date.now() - t0) / 1000, lr: NaN, metrics, tensors: tf.memory().numTensors };
        try {
          appendMetric(runDir, line);
        } catch (e) {
          throw explainWriteError(e, `the metrics of eps ${r.eps}`);
        }
        log(epsLogLine(r));
        save({ epochsDone: step, latest: metrics });
        send({ type: 'epoch', line, epochs: rec.epochsPlanned });
      },
    });
    // The model attacked is the parent's: its size on disk, as compression counts tfjs_bytes, gives a model
    // that was never compressed a size to be placed and ranked by on the Trade-offs plot.
    const final = { ...robustMetrics(report), tfjs_bytes: modelBytes(modelDir) };
    for (const f of report.flags) log(flagLogLine(f));
    const head = report.perEps.find((e) => e.eps === report.headline)!;
    const message = `robust accuracy ${head.robustAccuracy.toFixed(4)} [95% CI ${head.ci.map((v) => v.toFixed(4)).join(', ')}] at eps ${report.headline} (${report.norm}) on ${report.points} test points; ${report.flags.length} red flag(s)`;
    const totalMs = Date.now() - t0;
    save({ status: 'completed', final, best: final, robustness: { evaluation: { ...report, backend: backend.name }, flags: report.flags }, message, finished: now(), timings: { loadMs, trainMs: totalMs - loadMs, totalMs } });
    log(`completed: ${message}`);
  } catch (e) {
    const stopped = e instanceof StopRequested;
    log(stopped ? 'stopped on request' : `failed: ${(e as Error).stack ?? e}`);
    save({ status: stopped ? 'stopped' : 'failed', message: stopped ? 'stopped on request during the evaluation' : (e as Error).message, finished: now() });
  } finally {
    clearInterval(beat);
    await sampler.stop();
  }
  return rec;
}

main().then(
  (record) => send({ type: 'finished', record }, () => process.exit(0)),
  (e) => {
    process.stderr.write(`hone robust worker: ${(e as Error).message}\n`);
    process.exit(3);
  },
);

/**
 * Compression of a trained network, stage by stage, as the spec's `compress` section says: measure the
 * network as it is, per-layer sensitivity, then prune, structured, share and quantize (each retraining
 * its own epochs under the constraints the earlier stages left), float16 for biases once kernels are
 * quantized or shared, and the end: both saved forms, sizes, latency, accuracy (finish.ts). Called by the
 * training worker after a run's training, or instead of it for a `hone compress` run.
 */
import * as tf from '@tensorflow/tfjs';
import type { Spec, TrainSpec } from '../../core/spec/types';
import type { CompressSpec } from '../../core/spec/compress-types';
import type { MetricLine } from '../../core/store/types';
import { compressMetrics, type CompressReport } from '../../core/compress/report';
import { readMetrics } from '../../core/store/metrics';
import { updateBest } from '../../core/metrics';
import { derive } from '../../core/rng';
import type { Dataset } from '../data';
import { describeModel, type Preprocessing } from '../models';
import { train, type TrainResult } from '../train';
import { combine } from './constraints';
import { kernelLayers, kernelSparsity, readKernel } from './layers';
import { pruneStage } from './prune-stage';
import { halfTheRest, quantizeStage, shareStage, structuredStage } from './stages';
import { layerSensitivity } from './sensitivity';
import { finishCompression, measureBefore, splitMetrics } from './finish';
import type { CompressState, StageContext } from './state';

export interface CompressJob {
  /** The trained network (no preprocessing layers). */
  model: tf.LayersModel;
  data: Dataset;
  spec: Spec;
  runDir: string;
  /** What the saved model puts around the network. */
  pre: Preprocessing;
  /**
   * The run folder whose model/ (and model.hone, if any) holds the network as it was before compression:
   * the parent's, or this run's own, where the worker saved the trained network.
   */
  savedIn: string;
  /** The dense float32 bytes of the first network of a chain of compressions (the parent's `dense_bytes`). */
  denseBytes?: number;
  hooks: { onEpoch(line: MetricLine): void | Promise<void>; shouldStop(): boolean; log(text: string): void };
}

export type CompressOutcome = Pick<TrainResult, 'status' | 'epochsDone' | 'final' | 'best' | 'message'> & {
  report?: CompressReport;
  /** The saved network's layers and weights (structured pruning changes them). */
  network?: ReturnType<typeof describeModel>;
};

const DEFAULTS: CompressSpec = { latency: { warmup: 3, runs: 15 } };

/** Compresses `job.model` (which it may replace; the final network is saved by it, in job.runDir). */
export async function compressModel(job: CompressJob): Promise<CompressOutcome> {
  const { spec, data, hooks } = job;
  const c = spec.compress ?? DEFAULTS;
  const started = Date.now();
  const last = readMetrics(job.runDir).lines.at(-1);
  let clock = { epoch: last?.epoch ?? 0, step: last?.step ?? 0, time: last?.time ?? 0 };
  const t0 = clock.time;
  const elapsed = () => t0 + (Date.now() - started) / 1000;
  const state: CompressState = { model: job.model, masks: zeroMasks(job.model), shared: new Map(), grids: new Map() };
  const stages: CompressReport['stages'] = [];

  const before = await measureBefore(state.model, job.pre, await splitMetrics(state.model, data), job.savedIn);
  hooks.log(`compress: before, ${before.params} weights; ${Object.entries(before.metrics).map(([k, v]) => `${k} ${v.toPrecision(4)}`).join(', ')}`);
  const sensitivity = c.sensitivity ? await layerSensitivity(state.model, data, c.sensitivity) : undefined;

  const ctx: StageContext = {
    spec, c, data, seed: spec.seed, log: hooks.log,
    retrain: async (model, epochs, constraints, stage) => {
      if (epochs === 0) return undefined;
      const t: TrainSpec = { ...spec.train, epochs, lr: c.lr ?? spec.train.lr, earlyStopping: undefined, checkpoint: undefined };
      const base = { ...clock };
      const layers = kernelLayers(model);
      const r = await train(model, data, t, derive(spec.seed, 'compress', stage), {
        ...combine(constraints),
        shouldStop: hooks.shouldStop,
        onEpoch: async (line) => {
          clock = { epoch: base.epoch + line.epoch, step: base.step + line.step, time: elapsed() };
          await hooks.onEpoch({ ...line, ...clock, stage, metrics: { ...line.metrics, sparsity: kernelSparsity(layers) } });
        },
      });
      stages.push({ stage, firstEpoch: base.epoch + 1, lastEpoch: clock.epoch });
      return r;
    },
  };
  const plan: [string, boolean, () => Promise<TrainResult | undefined>][] = [
    ['prune', Boolean(c.prune), () => pruneStage(state, c.prune!, ctx)],
    ['structured', Boolean(c.structured), () => structuredStage(state, c.structured!, ctx)],
    ['share', Boolean(c.share), () => shareStage(state, c.share!, ctx)],
    ['quantize', Boolean(c.quantize), () => quantizeStage(state, c.quantize!, ctx)],
  ];
  let ended: TrainResult | undefined;
  // Every stage that ran, with or without retraining (report.stages lists the retrained ones).
  const ran: string[] = [];
  for (const [name, wanted, stage] of plan) {
    if (!wanted) continue;
    if (hooks.shouldStop()) ended = { status: 'stopped', message: 'stopped on request between compression stages' } as TrainResult;
    if (ended) break;
    ran.push(name);
    const r = await stage();
    if (r && r.status !== 'completed') ended = r;
  }
  if (ended?.status === 'diverged') return { status: 'diverged', epochsDone: clock.epoch, final: {}, best: {}, message: divergedIn(stages.at(-1)!, ended) };
  // Only after a stage that ran: a run stopped before share or quantize keeps float32 biases, as its message says.
  if (ran.includes('share') || ran.includes('quantize')) halfTheRest(state.model);

  const stopped = ended?.status === 'stopped';
  const report = await finishCompression({
    state, data, runDir: job.runDir, pre: job.pre, latency: stopped ? { warmup: 0, runs: 0 } : c.latency, before,
    denseBytes: job.denseBytes ?? before.float32Bytes, stages, sensitivity,
  });
  const final = { ...report.after.metrics, ...compressMetrics(report) };
  clock = { epoch: clock.epoch + 1, step: clock.step, time: elapsed() };
  await hooks.onEpoch({ ...clock, lr: 0, metrics: final, tensors: tf.memory().numTensors });
  // The compressed model is measured once, on this last line: the lines before it measure models on the way
  // (the trained one, sparsity still rising, before later stages and float16 biases), and none is restored.
  // So `best` is this line's, never a value the saved model does not have.
  const best: Record<string, number> = {};
  updateBest(best, final);
  const ratio = final.compression_ratio;
  const vs = ratio >= 1 ? `${ratio.toFixed(1)}x smaller than` : `${(1 / ratio).toFixed(1)}x larger than`;
  const message = `${stopped ? 'stopped on request; ' : ''}${ran.length ? `compressed: ${ran.join(', ')}` : 'measured, no compression stage'}; packed ${report.after.packedBytes} bytes (${vs} dense float32)`;
  return { status: stopped ? 'stopped' : 'completed', epochsDone: clock.epoch, final, best, message, report, network: describeModel(state.model) };
}

/**
 * Masks holding the exact zeros the network starts with: a compressed parent's pruned weights stay
 * pruned through every retraining of its child (a freshly trained network has none, and gets no mask).
 */
function zeroMasks(model: tf.LayersModel): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const k of kernelLayers(model)) {
    const w = readKernel(k);
    if (w.includes(0)) out.set(k.name, Uint8Array.from(w, (v) => (v === 0 ? 0 : 1)));
  }
  return out;
}

/** Where compression diverged, in the run's epochs (the training loop counts the stage's own from 1). */
function divergedIn(stage: CompressReport['stages'][number], r: TrainResult): string {
  // The loss is measured before each step: a finite one means the epoch's last step broke the weights.
  const cause = Number.isFinite(r.final.loss) ? 'its weights became non-finite' : `loss became ${r.final.loss}`;
  return `compression stage ${stage.stage} diverged: ${cause} at epoch ${stage.lastEpoch} of the run (epoch ${stage.lastEpoch - stage.firstEpoch + 1} of the stage)`;
}

/**
 * The result of a run that trained, then compressed, when compression diverged: the trained network
 * (which the worker saved in model/ before compressing) and its metrics stay the run's; it reads as
 * diverged, with the compression epochs counted, and says what model/ holds.
 */
export function trainedKept(trained: TrainResult, compressed: CompressOutcome): TrainResult {
  return { ...trained, status: 'diverged', epochsDone: compressed.epochsDone, message: `${compressed.message}; model/ holds the trained model, uncompressed, and the final metrics are its own` };
}

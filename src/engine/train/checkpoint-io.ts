/**
 * A `TrainCheckpoint` in the checkpoint folder format (core/resume/files.ts). Arrays, in this order:
 * `weights/<weight name>` (every weight of the model, in `model.weights` order), `optimizer/<i>` (the
 * optimizer's slots), `best-weights/<weight name>` (early stopping's best epoch, when it has one), and
 * `shuffle/order` (int32, the current permutation of the training rows). The JSON `state` holds the rest:
 * `{ step, time, last, best, stopper, bestLine?, earlyStopped?, checkpointBest, optimizerT, rng }`.
 */
import { readCheckpoint, writeCheckpoint, type StoredArray } from '../../core/resume/files';
import { toNumber, toNumberMap } from '../../core/store/numbers';
import type { MetricLine } from '../../core/store/types';
import type { RngState } from '../../core/rng';
import type { StopperState } from './early-stopping';
import type { NamedArray, TrainCheckpoint } from './checkpoint';

interface State {
  step: number;
  time: number;
  last: MetricLine;
  best: Record<string, number>;
  stopper: StopperState;
  bestLine?: MetricLine;
  earlyStopped?: string;
  checkpointBest: StopperState;
  optimizerT: number;
  rng: RngState;
}

const group = (prefix: string, arrays: NamedArray[]): StoredArray[] => arrays.map((a) => ({ ...a, name: `${prefix}/${a.name}` }));

/**
 * Writes `c`, of a run training with `spec`, as the run's `last` checkpoint, and as its `best` one too
 * when `best`; nothing once `stillOwner()` is false (see writeCheckpoint). `best` goes first: `last`
 * carries the bookkeeping that decides which epoch `best/` should hold, so a kill (or a refused write)
 * between the two must leave `last` behind, and the resumed run recomputes that epoch and writes `best/`
 * again. The other way round, `last` would record epoch k as best while `best/` holds an older one (or
 * only its `.old`), and no later epoch would replace it.
 */
export function saveTrainCheckpoint(runDir: string, c: TrainCheckpoint, best: boolean, spec: unknown, stillOwner?: () => boolean): void {
  const state: State = {
    step: c.step, time: c.time, last: c.last, best: c.best, stopper: c.stopper, bestLine: c.bestLine, earlyStopped: c.earlyStopped,
    checkpointBest: c.checkpointBest, optimizerT: c.optimizer.t, rng: c.shuffle.rng,
  };
  const arrays = [
    ...group('weights', c.weights),
    ...group('optimizer', c.optimizer.slots),
    ...group('best-weights', c.bestWeights ?? []),
    { name: 'shuffle/order', shape: [c.shuffle.order.length], data: c.shuffle.order },
  ];
  if (best) writeCheckpoint(runDir, 'best', { epoch: c.epoch, state, arrays, spec }, stillOwner);
  writeCheckpoint(runDir, 'last', { epoch: c.epoch, state, arrays, spec }, stillOwner);
}

// JSON has no NaN: store JSON writes it (early stopping's initial best, a NaN metric) as a string.
const line = (l: MetricLine): MetricLine => ({ ...l, time: toNumber(l.time), lr: toNumber(l.lr), metrics: toNumberMap(l.metrics) ?? {} });
const stopper = (s: StopperState): StopperState => ({ ...s, best: toNumber(s.best) });

/** The run's `last` checkpoint (see `readCheckpoint`), or undefined when it has none. */
export function loadTrainCheckpoint(runDir: string): TrainCheckpoint | undefined {
  const stored = readCheckpoint(runDir, 'last');
  if (!stored) return undefined;
  const s = stored.state as State;
  const take = (prefix: string): NamedArray[] =>
    stored.arrays.filter((a) => a.name.startsWith(`${prefix}/`)).map((a) => ({ name: a.name.slice(prefix.length + 1), shape: a.shape, data: a.data as Float32Array }));
  const order = stored.arrays.find((a) => a.name === 'shuffle/order');
  if (!(order?.data instanceof Int32Array) || !s?.last || !s.rng) throw new Error(`the checkpoint of epoch ${stored.epoch} lacks its shuffle state or its last metrics`);
  const bestWeights = take('best-weights');
  return {
    epoch: stored.epoch, step: s.step, time: s.time, last: line(s.last), best: toNumberMap(s.best) ?? {},
    stopper: stopper(s.stopper), bestLine: s.bestLine && line(s.bestLine), bestWeights: bestWeights.length ? bestWeights : undefined,
    earlyStopped: s.earlyStopped, checkpointBest: stopper(s.checkpointBest),
    weights: take('weights'), optimizer: { t: s.optimizerT, slots: take('optimizer') }, shuffle: { rng: s.rng, order: order.data },
  };
}

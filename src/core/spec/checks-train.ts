/** Semantic checks on `train`: options that only one optimiser uses, early-stopping metrics. */
import type { Check } from './checks';
import type { SpecTask } from './shape';
import type { DataSpec, ModelSpec, SpecProblem } from './types';
import { describeEnum, showFound } from './describe';
import { dataTask, guessedTaskNote } from './checks-csv';
import { fitRows } from './checks-model';
import { metricInfo } from '../metrics/registry';
import type { RobustnessSpec } from './robust-types';
import { robustEpochMetrics } from './checks-robust';

/** Metric names a run records per epoch, by task (and adversarial training); `val_` ones need a validation split. */
export function metricNames(task: SpecTask | undefined, robustness?: RobustnessSpec): string[] {
  const extra = task === 'classification' ? ['accuracy'] : task === 'regression' ? ['mse'] : ['accuracy', 'mse'];
  return [...['loss', ...extra].flatMap((m) => [m, `val_${m}`]), ...robustEpochMetrics(robustness)];
}

/** True when the user wrote `train.<key>` (after overrides), as opposed to a filled default. */
export function wroteTrain(raw: unknown, key: string): boolean {
  const train = (raw as { train?: unknown } | null)?.train;
  return typeof train === 'object' && train !== null && (train as Record<string, unknown>)[key] !== undefined;
}

const weightDecayNeedsAdamw: Check = {
  reads: ['train.optimizer', 'train.weightDecay'],
  run: ({ spec: { train }, raw }) => {
    if (train.optimizer === 'adamw' || !wroteTrain(raw, 'weightDecay')) return [];
    return [{
      path: 'train.weightDecay',
      expected: `no weightDecay with optimizer ${train.optimizer}: it is decoupled decay for adamw only (use l2 for a coupled penalty)`,
      found: showFound(train.weightDecay),
    }];
  },
};

const momentumNeedsMomentum: Check = {
  reads: ['train.optimizer', 'train.momentum'],
  run: ({ spec: { train }, raw }) => {
    if (train.optimizer === 'momentum' || train.optimizer === 'nesterov' || !wroteTrain(raw, 'momentum')) return [];
    return [{
      path: 'train.momentum',
      expected: `no momentum with optimizer ${train.optimizer} (only momentum and nesterov use it)`,
      found: showFound(train.momentum),
    }];
  },
};

/** Whether the model has the dense hidden layers dropout follows (layers.ts hiddenLayers): an mlp's, or a cnn's model.dense. */
const hasDenseHidden = (m: ModelSpec): boolean => m.type === 'mlp' || (m.type === 'cnn' && m.dense.length > 0);

/** What a model without such layers takes instead of a dropout rate. */
function dropoutInstead(m: ModelSpec): string {
  if (m.type === 'layers') return 'put {"type": "dropout", "rate": ...} entries in model.layers instead';
  if (m.type === 'cnn') return 'model.dense is empty: give it dense layers, or use a layers model with {"type": "dropout"} entries';
  return 'a linear model has no hidden layer: use an mlp';
}

/**
 * A dropout rate goes after each dense hidden layer of an mlp or cnn; on a model with none of them it
 * would be silently ignored. Rates of 0 (the defaults) change nothing and pass.
 */
const dropoutHasLayers: Check = {
  reads: ['model', 'train.dropout'],
  run: ({ spec: { model, train } }) => {
    if (hasDenseHidden(model)) return [];
    const out: SpecProblem[] = [];
    if (train.dropout > 0) {
      out.push({ path: 'train.dropout', expected: `0: it applies after the dense hidden layers of an mlp or cnn, and this ${model.type} model has none (${dropoutInstead(model)})`, found: showFound(train.dropout) });
    }
    if (model.type === 'cnn' && model.dropout > 0) {
      out.push({ path: 'model.dropout', expected: `0: it applies after each dense layer, and ${dropoutInstead(model)}`, found: showFound(model.dropout) });
    }
    return out;
  },
};

/** Early stopping must watch a metric the run records; a CSV's task is the one its loader will guess. */
const knownMetric: Check = {
  reads: ['train.earlyStopping', 'data', 'robustness'],
  run: ({ spec: { train, data, robustness }, baseDir }) => {
    const metric = train.earlyStopping?.metric;
    const task = dataTask(data, baseDir);
    const names = metricNames(task, robustness);
    if (metric === undefined || names.includes(metric)) return [];
    return [{ path: 'train.earlyStopping.metric', expected: describeEnum(names) + guessedTaskNote(data, task), found: showFound(metric) }];
  },
};

/**
 * Why a `val_` metric would not exist: no validation fraction, or one that rounds to no row of the data.
 * Early stopping and sweep objectives both need it to exist.
 */
export function valMissing(data: DataSpec, baseDir: string, metric: string): Omit<SpecProblem, 'path'> | undefined {
  if (!metric.startsWith('val_')) return undefined;
  if (data.split.val === 0) {
    return { expected: `a metric without val_, or data.split.val > 0 so ${metric} exists`, found: `${showFound(metric)} with data.split.val = 0` };
  }
  const rows = fitRows(data, baseDir);
  if (!rows || rows.val > 0) return undefined;
  return {
    expected: `a metric without val_, or a data.split.val that gives the validation part at least one row, so ${metric} exists`,
    found: `${showFound(metric)} with data.split.val = ${data.split.val}, which gives none of the ${rows.train + rows.val} training and validation rows`,
  };
}

const valMetricNeedsValSplit: Check = {
  reads: ['train.earlyStopping', 'data'],
  run: ({ spec: { train, data }, baseDir }) => {
    const missing = train.earlyStopping && valMissing(data, baseDir, train.earlyStopping.metric);
    return missing ? [{ path: 'train.earlyStopping.metric', ...missing }] : [];
  },
};

/** Early stopping's mode, when written, must not contradict the metric registry (as sweep objectives must not). */
const modeAgrees: Check = {
  reads: ['train.earlyStopping'],
  run: ({ spec: { train } }) => {
    const es = train.earlyStopping;
    const info = es && metricInfo(es.metric);
    if (!es || !info || es.mode === 'auto' || es.mode === info.better) return [];
    return [{ path: 'train.earlyStopping.mode', expected: `"${info.better}" or "auto": ${es.metric} (${info.label}) is better ${info.better === 'max' ? 'higher' : 'lower'}`, found: showFound(es.mode) }];
  },
};

/**
 * Cosine decay goes from lr down to minLr after its warm-up: a minLr above lr would raise the learning rate
 * over training, and a warm-up of all the epochs would never reach lr nor decay (schedule.ts). A federated
 * run's schedule counts rounds, not epochs.
 */
const cosineDecays: Check = {
  reads: ['train.schedule', 'train.lr', 'train.epochs', 'federated.rounds'],
  run: ({ spec: { train, federated } }) => {
    const s = train.schedule;
    const [span, spanPath] = federated ? [federated.rounds, 'federated.rounds'] : [train.epochs, 'train.epochs'];
    if (s.type !== 'cosine') return [];
    const out: SpecProblem[] = [];
    if (s.minLr > train.lr) {
      out.push({ path: 'train.schedule.minLr', expected: `a minLr <= train.lr (${train.lr}): cosine decay lowers the learning rate from lr to minLr`, found: showFound(s.minLr) });
    }
    if (s.warmupEpochs >= span) {
      out.push({
        path: 'train.schedule.warmupEpochs',
        expected: `fewer than ${spanPath} (${span}): the warm-up reaches lr only at its last step, and the cosine decay comes after it`,
        found: showFound(s.warmupEpochs),
      });
    }
    return out;
  },
};

export const TRAIN_CHECKS: readonly Check[] = [weightDecayNeedsAdamw, momentumNeedsMomentum, dropoutHasLayers, knownMetric, valMetricNeedsValSplit, cosineDecays, modeAgrees];

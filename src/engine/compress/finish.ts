/**
 * The end of a compression: the model saved as model/ (TF.js, quantized weights in the manifest when
 * exact) and model.hone (packed), every size measured on the files written, the packed round trip
 * checked, latency and accuracy measured, all of it written to compress.json.
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { COMPRESS_FILE, PACKED_FILE, type CompressReport, type LatencyReport, type LayerReport, type Sizes } from '../../core/compress/report';
import { fileBytes, gzipBytes, modelFiles } from '../../core/compress/sizes';
import { atomicWriteFileSync } from '../../core/store/fs-util';
import { explainWriteError } from '../../core/store/writable';
import type { Preprocessing } from '../models';
import type { Dataset } from '../data';
import { evaluate, toTensors } from '../train/evaluate';
import { folderArtifacts, savedForm, type SavedForm } from './artifacts';
import { tfjsFiles, toArtifacts } from './tfjs-files';
import { packModel } from './pack';
import { unpackModel } from './unpack';
import { measureLatency, type LatencyConfig } from './latency';
import { kernelLayers, kernelSparsity } from './layers';
import type { CompressState } from './state';

const count = (f: SavedForm) => f.weights.reduce((a, w) => a + w.data.length, 0);
const nonzero = (f: SavedForm) => f.weights.reduce((a, w) => a + w.data.reduce((z, v) => z + (v !== 0 ? 1 : 0), 0), 0);

/** Latency of saved models as plain TF.js loads them, at batch 1 and 256, timed in alternation (none when `runs` is 0). */
async function latencyOf(artifacts: tf.io.ModelArtifacts[], c: LatencyConfig): Promise<(LatencyReport | undefined)[]> {
  if (c.runs === 0) return artifacts.map(() => undefined);
  const models = await Promise.all(artifacts.map((a) => tf.loadLayersModel(tf.io.fromMemory(a))));
  try {
    const shape = models[0].inputs[0].shape.slice(1) as number[];
    const [b1, b256] = [await measureLatency(models, shape, 1, c), await measureLatency(models, shape, 256, c)];
    return models.map((_, i) => ({ b1Ms: b1[i].medianMs, b256Ms: b256[i].medianMs, b1MinMs: b1[i].minMs, b256MinMs: b256[i].minMs }));
  } finally {
    models.forEach((m) => m.dispose());
  }
}

/** Loss and task metric of `model` on the val and test splits. */
export async function splitMetrics(model: tf.LayersModel, data: Dataset): Promise<Record<string, number>> {
  const parts = [toTensors(data.val, data.inputShape), toTensors(data.test, data.inputShape)];
  try {
    return { ...(await evaluate(model, parts[0], data, 'val_')), ...(await evaluate(model, parts[1], data, 'test_')) };
  } finally {
    parts.forEach((p) => tf.dispose([p.x, p.y]));
  }
}

/**
 * The network before compression: its weight counts, its metrics, and the sizes of the files it was saved
 * as in run folder `dir` (model/, and model.hone when it was compressed itself), which are also what its
 * latency is timed on at the end.
 */
export async function measureBefore(network: tf.LayersModel, pre: Preprocessing, metrics: Record<string, number>, dir: string): Promise<Before> {
  const saved = await savedForm(network, pre);
  const files = modelFiles(join(dir, 'model'));
  const packed = join(dir, PACKED_FILE);
  const params = count(saved);
  const sizes: Sizes = {
    params, nonzero: nonzero(saved), float32Bytes: 4 * params, tfjsBytes: fileBytes(files), tfjsGzipBytes: gzipBytes(files),
    ...(existsSync(packed) ? { packedBytes: fileBytes([packed]) } : {}),
  };
  return { ...sizes, metrics, artifacts: folderArtifacts(join(dir, 'model')) };
}

/** What was measured before compression, with the uncompressed model's artifacts for the latency comparison at the end. */
export type Before = Omit<CompressReport['before'], 'latency'> & { artifacts: tf.io.ModelArtifacts };

/** Writes model/ through a temporary folder renamed into place, so no half-written model is ever there. */
function writeModelFolder(runDir: string, files: { json: string; bin: Buffer }): void {
  const tmp = join(runDir, `.model-${process.pid}.tmp`);
  rmSync(tmp, { recursive: true, force: true });
  try {
    mkdirSync(tmp);
    writeFileSync(join(tmp, 'model.json'), files.json);
    writeFileSync(join(tmp, 'weights.bin'), files.bin);
    rmSync(join(runDir, 'model'), { recursive: true, force: true });
    renameSync(tmp, join(runDir, 'model'));
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

/**
 * Moves `names` of `runDir` that exist aside, for the compression's files to take their place: `restore`
 * removes what was written in their place and puts them back (a compression that fails after writing
 * leaves the run's trained model, the one its record describes), `drop` deletes them once it succeeded.
 */
function setAside(runDir: string, names: string[]): { restore(): void; drop(): void } {
  const moved = names.filter((n) => existsSync(join(runDir, n))).map((n) => [join(runDir, n), join(runDir, `.${n}.${process.pid}.before`)]);
  for (const [at, aside] of moved) {
    rmSync(aside, { recursive: true, force: true });
    renameSync(at, aside);
  }
  return {
    restore: () => {
      for (const n of names) rmSync(join(runDir, n), { recursive: true, force: true });
      for (const [at, aside] of moved) renameSync(aside, at);
    },
    drop: () => moved.forEach(([, aside]) => rmSync(aside, { recursive: true, force: true })),
  };
}

/** Largest |difference| of the predictions of two saved models on the first `n` test inputs. */
async function roundTrip(a: tf.io.ModelArtifacts, b: tf.io.ModelArtifacts, data: Dataset, n = 256): Promise<CompressReport['roundTrip']> {
  const part = data.test.n > 0 ? data.test : data.train;
  const rows = Math.min(n, part.n);
  const [ma, mb] = [await tf.loadLayersModel(tf.io.fromMemory(a)), await tf.loadLayersModel(tf.io.fromMemory(b))];
  try {
    const diff = tf.tidy(() => {
      const x = tf.tensor(part.x.subarray(0, rows * (part.x.length / part.n)), [rows, ...data.inputShape]);
      return (ma.predict(x) as tf.Tensor).sub(mb.predict(x) as tf.Tensor).abs().max().dataSync()[0];
    });
    return { maxAbsDiff: diff, samples: rows };
  } finally {
    ma.dispose();
    mb.dispose();
  }
}

export interface FinishArgs {
  state: CompressState;
  data: Dataset;
  runDir: string;
  pre: Preprocessing;
  latency: LatencyConfig;
  before: Before;
  denseBytes: number;
  stages: CompressReport['stages'];
  sensitivity?: CompressReport['sensitivity'];
}

/**
 * Saves the compressed model both ways, measures it, writes compress.json; returns the report. If any of
 * it fails, the run folder's model/ and model.hone are put back as they were.
 */
export async function finishCompression(f: FinishArgs): Promise<CompressReport> {
  const saved = await savedForm(f.state.model, f.pre, f.state.grids);
  const before = setAside(f.runDir, ['model', PACKED_FILE]);
  try {
    const report = await writeAndMeasure(f, saved);
    before.drop();
    return report;
  } catch (e) {
    before.restore();
    throw e;
  }
}

async function writeAndMeasure(f: FinishArgs, saved: SavedForm): Promise<CompressReport> {
  const { state, runDir } = f;
  const packed = packModel(saved);
  const tmp = join(runDir, `.${PACKED_FILE}.${process.pid}.tmp`);
  try {
    writeModelFolder(runDir, tfjsFiles(saved, true));
    writeFileSync(tmp, packed.bytes);
    renameSync(tmp, join(runDir, PACKED_FILE));
  } catch (e) {
    rmSync(tmp, { force: true });
    throw explainWriteError(e, 'the compressed model');
  }
  const files = modelFiles(join(runDir, 'model'));
  const onDisk = folderArtifacts(join(runDir, 'model'));
  const decoded = toArtifacts(unpackModel(readFileSync(join(runDir, PACKED_FILE))));
  const params = count(saved);
  const layers = kernelLayers(state.model);
  const [latencyBefore, latencyAfter] = await latencyOf([f.before.artifacts, onDisk], f.latency);
  const { artifacts: _artifacts, ...before } = f.before;
  const byName = new Map(packed.tensors.map((t) => [t.name, t]));
  const layerReports: LayerReport[] = layers.map((k) => {
    const w = saved.weights.find((x) => x.name === saved.kernels.get(k.name))!;
    const t = byName.get(w.name)!;
    const nz = w.data.filter((v) => v !== 0);
    return {
      name: k.name, shape: k.shape, params: w.data.length, nonzero: nz.length, distinct: new Set(nz).size, layout: t.layout, coding: t.coding,
      packedBytes: t.bytes.reduce((a, b) => a + b, 0),
      ...(state.grids.has(k.name) ? { bits: state.grids.get(k.name)!.bits } : {}),
      ...(state.shared.has(k.name) ? { clusters: state.shared.get(k.name)!.clusters } : {}),
    };
  });
  const report: CompressReport = {
    version: 1,
    backend: tf.getBackend(),
    latencyMethod: { warmup: f.latency.warmup, runs: f.latency.runs, statistic: 'median' },
    denseBytes: f.denseBytes,
    before: { ...before, latency: latencyBefore },
    after: {
      params, nonzero: nonzero(saved), float32Bytes: 4 * params, tfjsBytes: fileBytes(files), tfjsGzipBytes: gzipBytes(files),
      packedBytes: fileBytes([join(runDir, PACKED_FILE)]), sparsity: kernelSparsity(layers),
      latency: latencyAfter, metrics: await splitMetrics(state.model, f.data),
    },
    stages: f.stages,
    layers: layerReports,
    roundTrip: await roundTrip(onDisk, decoded, f.data),
    ...(f.sensitivity ? { sensitivity: f.sensitivity } : {}),
  };
  atomicWriteFileSync(join(runDir, COMPRESS_FILE), JSON.stringify(report, null, 1) + '\n');
  return report;
}

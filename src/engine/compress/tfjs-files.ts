/**
 * TF.js layers-model files (model.json + weights.bin) with the weights manifest's own quantization, which
 * plain `tf.loadLayersModel` dequantizes on load (tfjs-core io: `quantization: {dtype: 'uint8', scale,
 * min}` gives q * scale + min; `{dtype: 'float16'}` gives the half value). A weight is written as uint8
 * when it carries a per-tensor affine grid of at most 8 bits and lies on it, as float16 when every value
 * is a float16, else as float32: the loaded weights are exactly the given ones either way.
 */
import { codesOnGrid } from './affine';
import { isFloat16Exact, toFloat16Bits } from './float16';
import type { ModelJson, PackedModel, PackedWeight } from './packed-format';

export interface ManifestEntry {
  name: string;
  shape: number[];
  dtype: 'float32';
  quantization?: { dtype: 'uint8'; scale: number; min: number; original_dtype: 'float32' } | { dtype: 'float16'; original_dtype: 'float32' };
}

/** One weight's manifest entry and bytes. */
function encode(w: PackedWeight): { entry: ManifestEntry; bytes: Buffer } {
  const entry: ManifestEntry = { name: w.name, shape: w.shape, dtype: 'float32' };
  const a = w.affine;
  const q = a && a.scale.length === 1 && a.bits <= 8 ? codesOnGrid(w.data, a.scale, a.zeroPoint, a.bits) : undefined;
  if (a && q) {
    // min = -z * scale is exact in double precision, so TF.js's q * scale + min is exactly (q - z) * scale.
    return { entry: { ...entry, quantization: { dtype: 'uint8', scale: a.scale[0], min: -a.zeroPoint[0] * a.scale[0], original_dtype: 'float32' } }, bytes: Buffer.from(q) };
  }
  if (w.data.length > 0 && isFloat16Exact(w.data)) {
    return { entry: { ...entry, quantization: { dtype: 'float16', original_dtype: 'float32' } }, bytes: Buffer.from(Uint16Array.from(w.data, toFloat16Bits).buffer) };
  }
  return { entry, bytes: Buffer.from(Float32Array.from(w.data).buffer) };
}

/** model.json (text) and weights.bin for `m`; `quantized: false` writes every weight as float32. */
export function tfjsFiles(m: PackedModel, quantized = true): { json: string; bin: Buffer; entries: ManifestEntry[] } {
  const parts = m.weights.map((w) => (quantized ? encode(w) : { entry: { name: w.name, shape: w.shape, dtype: 'float32' as const }, bytes: Buffer.from(Float32Array.from(w.data).buffer) }));
  const entries = parts.map((p) => p.entry);
  const json = JSON.stringify({ ...m.model, weightsManifest: [{ paths: ['weights.bin'], weights: entries }] });
  return { json, bin: Buffer.concat(parts.map((p) => p.bytes)), entries };
}

/** The float32 weights of a plain float32 model.json + weights.bin (as Hone saves them). */

/** `m` as TF.js model artifacts (float32 weights), for `tf.loadLayersModel(tf.io.fromMemory(...))`. */
export function toArtifacts(m: PackedModel): { modelTopology: {}; weightSpecs: ManifestEntry[]; weightData: ArrayBuffer } & Omit<ModelJson, 'modelTopology'> {
  const { modelTopology, ...rest } = m.model;
  const bin = Buffer.concat(m.weights.map((w) => Buffer.from(Float32Array.from(w.data).buffer)));
  return {
    ...rest,
    modelTopology: modelTopology as {},
    weightSpecs: m.weights.map((w) => ({ name: w.name, shape: w.shape, dtype: 'float32' })),
    weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.length),
  };
}

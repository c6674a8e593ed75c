/**
 * Hone's packed model format (`model.hone`), written by pack.ts and read by unpack.ts. Lossless for any
 * float32 model: each tensor is stored in the smallest of the encodings that reproduce its values exactly,
 * so a model decodes to the very weights it was packed from, and compression comes from what the
 * techniques made of the weights (zeros, few distinct values, values on an affine grid).
 *
 *   bytes 0-3  "HNPK"; byte 4: version (1); bytes 5-8: header length H (uint32 LE)
 *   H bytes    header: raw DEFLATE of JSON { model: model.json without weightsManifest, tensors: TensorHeader[] }
 *   then, per tensor in header order, its three segments back to back: positions, params, values
 *
 * A tensor's layout is `dense` (every element coded) or `sparse` (only its `nnz` nonzeros, whose
 * positions are a Huffman-coded stream of gaps: symbol g < 255 = g zeros then a nonzero, 255 = 255 zeros).
 * The coded values are `f32` or `f16` (raw, little-endian), or symbols in a Huffman-coded stream:
 * `codebook` (params: the codebook, float16 when exact else float32; a symbol indexes it) or `affine`
 * (params: per group a float32 scale and a uint8 zero point; value = float32((q - z) * scale), the group
 * of element i being i % groups). Huffman streams are as huffman.ts writes them.
 */
import type { AffineQuantized } from './affine';

export const MAGIC = 'HNPK';
export const VERSION = 1;
/** Gap symbol meaning "255 zeros, no nonzero yet". */
export const GAP_FILL = 255;

/** The grid a tensor's values were quantized to, when they were: lets the packer store codes, not a codebook. */
export type AffineHint = Pick<AffineQuantized, 'bits' | 'scale' | 'zeroPoint'>;

export interface PackedWeight {
  name: string;
  shape: number[];
  data: Float32Array;
  affine?: AffineHint;
}

/** model.json as TF.js writes it, less its weights manifest. */
export interface ModelJson {
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  modelTopology: unknown;
  userDefinedMetadata?: { [key: string]: {} };
}

export type Coding = 'f32' | 'f16' | 'codebook' | 'affine';

export interface TensorHeader {
  name: string;
  shape: number[];
  layout: 'dense' | 'sparse';
  nnz: number;
  coding: Coding;
  /** codebook: its size and storage; affine: bits and groups. */
  codebook?: { size: number; dtype: 'f16' | 'f32' };
  affine?: { bits: number; groups: number };
  /** Byte lengths of the positions, params and values segments. */
  bytes: [number, number, number];
}

export interface PackedModel {
  model: ModelJson;
  weights: PackedWeight[];
}

/**
 * Hone's packed model format (`model.hone`), written by pack.ts and read by unpack.ts. Lossless for any
 * float32 model: each tensor is stored in the smallest of the encodings that reproduce its values exactly,
 * so a model decodes to the very weights it was packed from, and compression comes from what the
 * techniques made of the weights (zeros, few distinct values, values on an affine grid).
 *
 *   bytes 0-3  "HNPK"; byte 4: version (2); bytes 5-8: header length H (uint32 LE);
 *   bytes 9-12 CRC-32 (uint32 LE) of every other byte of the file (0-8, then 13 to the end)
 *   H bytes    header: raw DEFLATE of JSON { model: model.json without weightsManifest, tensors: TensorHeader[] }
 *   then, per tensor in header order, its three segments back to back: positions, params, values; nothing after
 *
 * The checksum is there because no other part of the file notices damage: a changed byte in a segment
 * decodes to other weights (even NaN) without any error. CRC-32 catches every burst of up to 32 changed
 * bits, which is what disks and copies do; it is not meant to resist deliberate tampering. Version 1 files
 * are the same without bytes 9-12 (the header starts at byte 9) and are still read, unchecked.
 *
 * A tensor's layout is `dense` (every element coded) or `sparse` (only its `nnz` nonzeros, whose
 * positions are a Huffman-coded stream of gaps: symbol g < 255 = g zeros then a nonzero, 255 = 255 zeros).
 * The coded values are `f32` or `f16` (raw, little-endian), or symbols in a Huffman-coded stream:
 * `codebook` (params: the codebook, float16 when exact else float32; a symbol indexes it) or `affine`
 * (params: per group a float32 scale and a uint8 zero point; value = float32((q - z) * scale), the group
 * of element i being i % groups). Huffman streams are as huffman.ts writes them.
 */
import { crc32 } from 'node:zlib';
import type { AffineQuantized } from './affine';

export const MAGIC = 'HNPK';
/** The version written; readers also accept version 1 (no checksum). */
export const VERSION = 2;
/** Where the CRC-32 sits in a version 2 file. */
const CRC_AT = 9;
/** Bytes before the deflated header: signature, version, header length, and from version 2 the CRC-32. */
export const prefixBytes = (version: number): number => (version === 1 ? CRC_AT : CRC_AT + 4);
/** The CRC-32 (as zlib, gzip and PNG compute it) of a version 2 file: every byte but the four that store it. */
export const packedCrc = (file: Uint8Array): number => crc32(file.subarray(CRC_AT + 4), crc32(file.subarray(0, CRC_AT)));
/** Stores the file's CRC-32 in its place (bytes 9-12). */
export const writeCrc = (file: Buffer): void => void file.writeUInt32LE(packedCrc(file), CRC_AT);
/** The CRC-32 a version 2 file says it has. */
export const storedCrc = (file: Buffer): number => file.readUInt32LE(CRC_AT);
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

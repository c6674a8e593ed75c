import { join } from 'node:path';
import type { Part } from './types';
import { readDataFile } from './read';
import { mnistFileIn } from '../../core/datasets';

export const IDX_IMAGES_MAGIC = 0x00000803;
export const IDX_LABELS_MAGIC = 0x00000801;

export interface IdxImages { count: number; rows: number; cols: number; data: Uint8Array }
export interface IdxLabels { count: number; data: Uint8Array }

const hex = (v: number): string => '0x' + v.toString(16).padStart(8, '0');

/** The header words after the magic number of an IDX file, or an Error naming the file and what is wrong. */
export function idxHeader(buf: Uint8Array, words: number, magic: number, what: string, file: string): number[] {
  if (buf.length < 4 * words) throw new Error(`${file}: ${buf.length} bytes is too short for an IDX ${what} header (${4 * words} bytes)`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const found = view.getUint32(0, false);
  if (found !== magic) throw new Error(`${file}: bad magic number ${hex(found)}, expected ${hex(magic)} (IDX ${what})`);
  return Array.from({ length: words - 1 }, (_, i) => view.getUint32(4 * (i + 1), false));
}

function body(buf: Uint8Array, offset: number, expected: number, desc: string, file: string): Uint8Array {
  const found = buf.length - offset;
  if (found !== expected) throw new Error(`${file}: header says ${desc} (${expected} bytes of data), but the file holds ${found}`);
  return buf.subarray(offset);
}

/** Parses an IDX image file (big-endian: magic 0x00000803, count, rows, cols, then uint8 pixels). */
export function parseIdxImages(buf: Uint8Array, file: string): IdxImages {
  const [count, rows, cols] = idxHeader(buf, 4, IDX_IMAGES_MAGIC, 'images', file);
  return { count, rows, cols, data: body(buf, 16, count * rows * cols, `${count} images of ${rows}x${cols}`, file) };
}

/** Parses an IDX label file (big-endian: magic 0x00000801, count, then uint8 labels). */
export function parseIdxLabels(buf: Uint8Array, file: string): IdxLabels {
  const [count] = idxHeader(buf, 2, IDX_LABELS_MAGIC, 'labels', file);
  return { count, data: body(buf, 8, count, `${count} labels`, file) };
}

/** Reads `<dir>/<name>.gz`, or `<dir>/<name>` uncompressed (see read.ts: never blocks, bounded, names the file). */
function readIdx(dir: string, name: string): { buf: Uint8Array; file: string } {
  const file = mnistFileIn(dir, name + '.gz');
  if (!file) throw new Error(`MNIST: ${join(dir, name + '.gz')} not found (the folder must hold train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz)`);
  return { buf: readDataFile(file), file };
}

/** Reads one images/labels pair, keeping the first `limit` samples; pixels become floats 0..255. */
function loadPair(dir: string, prefix: string, limit?: number): { part: Part; rows: number; cols: number } {
  const im = readIdx(dir, `${prefix}-images-idx3-ubyte`);
  const images = parseIdxImages(im.buf, im.file);
  const lb = readIdx(dir, `${prefix}-labels-idx1-ubyte`);
  const labels = parseIdxLabels(lb.buf, lb.file);
  if (images.count !== labels.count) throw new Error(`MNIST: ${im.file} holds ${images.count} images but ${lb.file} holds ${labels.count} labels`);
  const n = limit === undefined ? images.count : Math.min(limit, images.count);
  const size = images.rows * images.cols;
  const x = new Float32Array(n * size);
  x.set(images.data.subarray(0, n * size));
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    if (labels.data[i] > 9) throw new Error(`${lb.file}: label ${i} is ${labels.data[i]}, expected 0..9`);
    y[i] = labels.data[i];
  }
  return { part: { x, y, n }, rows: images.rows, cols: images.cols };
}

/**
 * MNIST (LeCun, Cortes & Burges) from a folder holding the four IDX files (gzip-compressed or not).
 * `train` is the first `limit` training images (all 60,000 when absent; the file order is already
 * mixed, so a prefix is close to class-balanced), `test` the official 10,000 t10k images. Pixels are
 * raw 0..255 floats, row-major; each image is 28x28.
 */
export function loadMnist(dir: string, limit?: number): { train: Part; test: Part; rows: number; cols: number } {
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new Error(`MNIST: limit must be a positive integer, got ${limit}`);
  const train = loadPair(dir, 'train', limit);
  const test = loadPair(dir, 't10k');
  if (train.rows !== test.rows || train.cols !== test.cols) {
    throw new Error(`MNIST: training images are ${train.rows}x${train.cols} but test images are ${test.rows}x${test.cols}`);
  }
  return { train: train.part, test: test.part, rows: train.rows, cols: train.cols };
}

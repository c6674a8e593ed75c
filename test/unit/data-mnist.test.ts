import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadMnist, parseIdxImages, parseIdxLabels } from '../../src/engine/data/mnist';
import { loadDataset } from '../../src/engine/data';
import { dataProvenance } from '../../src/engine/data-hash';
import { writeTinyMnist } from '../helpers/tiny-mnist';
import { validateSpec } from '../../src/core/spec';

/** The clone's own copy: nothing outside the repository is needed. */
const MNIST = resolve(__dirname, '../../data/mnist');

const classCounts = (y: Float32Array): number[] => {
  const c = new Array(10).fill(0);
  for (const v of y) c[v]++;
  return c;
};

test('mnist: 60,000 train and 10,000 test images with the known class counts', (t) => {
  const t0 = performance.now();
  const m = loadMnist(MNIST);
  const ms = performance.now() - t0;
  assert.deepEqual([m.rows, m.cols, m.train.n, m.test.n], [28, 28, 60000, 10000]);
  assert.equal(m.train.x.length, 60000 * 784);
  assert.deepEqual(classCounts(m.train.y), [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
  assert.deepEqual(classCounts(m.test.y), [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  assert.equal(Math.max(...m.train.x.subarray(0, 784 * 10)), 255);
  t.diagnostic(`full MNIST loaded in ${ms.toFixed(0)} ms`);
});

test('mnist dataset: limit takes the first images; test is the official set; val from training images', () => {
  const ds = loadDataset({ source: 'mnist', path: MNIST, limit: 1000, split: { train: 0.9, val: 0.1, test: 0.5 }, normalize: 'scale', normalizeTarget: false }, 1, '/');
  assert.deepEqual([ds.train.n, ds.val.n, ds.test.n], [900, 100, 10000]);
  assert.deepEqual(ds.inputShape, [28, 28, 1]);
  assert.equal(ds.train.x.reduce((a, v) => Math.max(a, v), 0), 1);
  assert.deepEqual(classCounts(ds.test.y), [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  // The first 1000 training labels, whichever part they went to.
  const first = loadMnist(MNIST, 1000).train.y;
  assert.deepEqual(classCounts(Float32Array.from([...ds.train.y, ...ds.val.y])), classCounts(first));
});

const u32 = (...v: number[]): Buffer => {
  const b = Buffer.alloc(4 * v.length);
  v.forEach((x, i) => b.writeUInt32BE(x, 4 * i));
  return b;
};

test('idx: parses a hand-made file; bad magic, short data and count mismatches are precise errors', () => {
  const img = parseIdxImages(Buffer.concat([u32(0x803, 2, 2, 3), Buffer.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255])]), 'a');
  assert.deepEqual([img.count, img.rows, img.cols, img.data[11]], [2, 2, 3, 255]);
  assert.deepEqual(Array.from(parseIdxLabels(Buffer.concat([u32(0x801, 2), Buffer.from([7, 3])]), 'l').data), [7, 3]);
  assert.throws(() => parseIdxImages(Buffer.concat([u32(0x801, 1, 1, 1), Buffer.from([0])]), 'x.gz'), {
    message: 'x.gz: bad magic number 0x00000801, expected 0x00000803 (IDX images)',
  });
  assert.throws(() => parseIdxImages(Buffer.concat([u32(0x803, 2, 2, 2), Buffer.from([0])]), 'x.gz'), {
    message: 'x.gz: header says 2 images of 2x2 (8 bytes of data), but the file holds 1',
  });
  assert.throws(() => parseIdxLabels(Buffer.from([0, 0]), 'l.gz'), /l\.gz: 2 bytes is too short/);

  const dir = mkdtempSync(join(tmpdir(), 'hone-mnist-'));
  const put = (name: string, b: Buffer): void => writeFileSync(join(dir, name), gzipSync(b));
  put('train-images-idx3-ubyte.gz', Buffer.concat([u32(0x12345678, 1, 1, 1), Buffer.from([0])]));
  const trainImages = join(dir, 'train-images-idx3-ubyte.gz');
  assert.throws(() => loadMnist(dir), { message: `${trainImages}: bad magic number 0x12345678, expected 0x00000803 (IDX images)` });
  put('train-images-idx3-ubyte.gz', Buffer.concat([u32(0x803, 2, 1, 1), Buffer.from([0, 1])]));
  assert.throws(() => loadMnist(dir), /train-labels-idx1-ubyte\.gz not found \(the folder must hold/);
  put('train-labels-idx1-ubyte.gz', Buffer.concat([u32(0x801, 3), Buffer.from([0, 1, 2])]));
  assert.throws(() => loadMnist(dir), /holds 2 images but .*train-labels-idx1-ubyte\.gz holds 3 labels/);
});

test('an MNIST folder of uncompressed IDX files loads, and its provenance names and hashes those files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hone-mnist-raw-'));
  const [gz, raw] = [writeTinyMnist(join(dir, 'gz'), 30, 10), writeTinyMnist(join(dir, 'raw'), 30, 10, false)];
  const spec = (path: string) => ({ source: 'mnist' as const, path, split: { train: 0.8, val: 0.2, test: 0 }, normalize: 'scale' as const, normalizeTarget: false });
  const [a, b] = [loadDataset(spec(gz), 1, dir), loadDataset(spec(raw), 1, dir)];
  const [pa, pb] = [dataProvenance(a, spec(gz), dir), dataProvenance(b, spec(raw), dir)];
  assert.equal(pb.sha256, pa.sha256, 'the same data, whichever form the files are in');
  assert.deepEqual(pb.files!.map((f) => f.path), ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'].map((f) => join(raw, f)));
  assert.equal(pb.files![0].bytes, 16 + 30 * 784);
});

test('spec validation reads MNIST\'s headers and sizes: a corrupt, truncated or mismatched file is bad input at data.path', () => {
  const problems = (dir: string) => validateSpec({ name: 'm', data: { source: 'mnist', path: dir, split: { train: 0.9, val: 0.1, test: 0 } }, model: { type: 'mlp', layers: [8] } }, { baseDir: '/' }).problems.map((p) => `${p.path}: ${p.found}`);
  assert.deepEqual(problems(MNIST), [], 'the real files');
  const root = mkdtempSync(join(tmpdir(), 'hone-idx-'));
  try {
    const folder = (name: string, files: Record<string, Buffer>) => {
      const d = join(root, name);
      mkdirSync(d);
      for (const f of ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']) writeFileSync(join(d, f), files[f] ?? readFileSync(join(MNIST, f)));
      return d;
    };
    const idx = (magic: number, dims: number[], data: number) => {
      const head = Buffer.alloc(4 + 4 * dims.length);
      head.writeUInt32BE(magic, 0);
      dims.forEach((v, i) => head.writeUInt32BE(v, 4 + 4 * i));
      return gzipSync(Buffer.concat([head, Buffer.alloc(data)]));
    };
    const junk = folder('junk', { 'train-images-idx3-ubyte.gz': Buffer.from('garbage') });
    assert.match(problems(junk)[0], /^data\.path: .*train-images-idx3-ubyte\.gz: 7 bytes is too short for an IDX images header \(16 bytes\)$/);
    const short = folder('short', { 't10k-labels-idx1-ubyte.gz': idx(0x801, [10000], 9000) });
    assert.match(problems(short)[0], /t10k-labels-idx1-ubyte\.gz: its header says 10000 labels \(10008 bytes\), but it holds 9008$/);
    const fewer = folder('fewer', { 't10k-labels-idx1-ubyte.gz': idx(0x801, [9000], 9000) });
    assert.deepEqual(problems(fewer), ['data.path: 10000 test images but 9000 labels']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a gzip stream that breaks off in its header is bad input naming the file', () => {
  const root = mkdtempSync(join(tmpdir(), 'hone-idx-gz-'));
  try {
    const d = writeTinyMnist(join(root, 'm'));
    writeFileSync(join(d, 'train-images-idx3-ubyte.gz'), Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3]));
    const [p] = validateSpec({ name: 'm', data: { source: 'mnist', path: d, split: { train: 1, val: 0, test: 0 } }, model: { type: 'mlp', layers: [8] } }, { baseDir: '/' }).problems;
    assert.equal(p.path, 'data.path');
    assert.ok(p.found.startsWith(`${join(d, 'train-images-idx3-ubyte.gz')}: `), p.found);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

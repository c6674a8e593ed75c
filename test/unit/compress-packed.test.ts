// The packed format: Huffman coding known answers, an exact round trip of every encoding the packer
// chooses, a damaged file refused (checksum, length), version 1 files still read, and a packed model that
// decodes to an ordinary TF.js model with identical predictions.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { crc32 } from 'node:zlib';
import * as tf from '@tensorflow/tfjs';
import { createRng } from '../../src/core/rng';
import {
  affineQuantize, BitReader, BitWriter, codeLengths, encodeTensor, huffmanDecode, huffmanEncode, packModel, roundToFloat16, savedForm,
  tfjsFiles, toArtifacts, unpackModel, type PackedWeight,
} from '../../src/engine/compress';
import { buildModel } from '../../src/engine/models';
import { useCpu } from '../helpers/engine';

before(useCpu);
const rng = createRng(5);

test('Huffman: the textbook case, lengths capped at 15, one symbol, and a round trip', () => {
  // Counts 45, 13, 12, 16, 9, 5 (CLRS 16.3): code lengths 1, 3, 3, 3, 4, 4.
  assert.deepEqual(Array.from(codeLengths([45, 13, 12, 16, 9, 5])), [1, 3, 3, 3, 4, 4]);
  const fib = [1, 1];
  while (fib.length < 30) fib.push(fib[fib.length - 1] + fib[fib.length - 2]);
  assert.ok(Math.max(...codeLengths(fib)) <= 15, 'Fibonacci counts would need 29 bits uncapped');
  // 2^maxLength symbols fit (a balanced tree); one more cannot, and says so rather than halving forever.
  assert.deepEqual(Array.from(codeLengths([1, 2, 4, 8, 16, 32, 64, 128], 3)), [3, 3, 3, 3, 3, 3, 3, 3]);
  assert.throws(() => codeLengths(new Array(9).fill(1), 3), /9 symbols in use cannot all have codes of at most 3 bits/);
  assert.deepEqual(Array.from(codeLengths([0, 7, 0])), [0, 1, 0]);
  for (const symbols of [Array.from({ length: 5000 }, () => Math.floor(rng.next() ** 3 * 200)), [3, 3, 3], []]) {
    const w = new BitWriter();
    huffmanEncode(symbols, 256, w);
    assert.deepEqual(Array.from(huffmanDecode(new BitReader(w.finish()), symbols.length)), symbols);
  }
});

const normal = (n: number, scale = 1) => Float32Array.from({ length: n }, () => rng.normal() * scale);
const pruned = (n: number, keep: number) => normal(n).map((v) => (rng.next() < keep ? v : 0));

test('every tensor comes back exactly, each in the encoding that suits it', () => {
  const grid = affineQuantize(pruned(3000, 0.3), [100, 30], { bits: 4, granularity: 'channel' });
  const centroids = [-0.5, -0.1, 0.2, 0.7];
  const cases: [string, PackedWeight, string][] = [
    ['dense float32', { name: 'a', shape: [40, 25], data: normal(1000) }, 'dense f32'],
    ['sparse float32', { name: 'b', shape: [2000], data: pruned(2000, 0.05) }, 'sparse f32'],
    ['float16 values', { name: 'c', shape: [300], data: normal(300).map(roundToFloat16) }, 'dense f16'],
    ['shared weights, pruned', { name: 'd', shape: [50, 40], data: pruned(2000, 0.1).map((v) => (v === 0 ? 0 : Math.fround(centroids[Math.floor(rng.next() * 4)]))) }, 'sparse codebook'],
    ['4 bits per channel', { name: 'e', shape: [100, 30], data: grid.values, affine: grid }, 'affine'],
    ['all zeros', { name: 'f', shape: [64], data: new Float32Array(64) }, 'sparse'],
    ['empty', { name: 'g', shape: [0, 3], data: new Float32Array(0) }, 'dense'],
    ['negative zero', { name: 'h', shape: [3], data: Float32Array.from([-0, 1.5, 0]) }, ''],
  ];
  const { bytes, tensors } = packModel({ model: { modelTopology: { any: 'thing' } }, weights: cases.map((c) => c[1]) });
  const back = unpackModel(bytes);
  assert.deepEqual(back.model, { modelTopology: { any: 'thing' } });
  cases.forEach(([what, w, encoding], i) => {
    assert.deepEqual(back.weights[i].shape, w.shape, what);
    assert.ok(back.weights[i].data.every((v, j) => v === w.data[j]), `${what}: every value exact`);
    assert.match(`${tensors[i].layout} ${tensors[i].coding}`, new RegExp(encoding), what);
  });
  // The chosen encoding is the smallest exact one: a 4-bit grid costs about half a byte per weight.
  assert.ok(encodeTensor(cases[4][1]).segments.reduce((a, s) => a + s.length, 0) < 3000 * 0.6);
  assert.throws(() => unpackModel(bytes.subarray(0, bytes.length - 10)), /truncated/);
  assert.throws(() => unpackModel(new Uint8Array(20)), /not a Hone packed model/);
});

/** The same file in version 1: no CRC-32 (bytes 9-12), the header right after the header length. */
function asVersion1(bytes: Uint8Array): Uint8Array {
  const v1 = Buffer.concat([bytes.subarray(0, 9), bytes.subarray(13)]);
  v1.writeUInt8(1, 4);
  return v1;
}

test('a damaged file is refused: no changed byte decodes to other weights, nothing may follow the end', () => {
  const weights: PackedWeight[] = [
    { name: 'dense', shape: [20, 30], data: normal(600) },
    { name: 'sparse', shape: [1000], data: pruned(1000, 0.1) },
    { name: 'half', shape: [50], data: normal(50).map(roundToFloat16) },
  ];
  const { bytes } = packModel({ model: { modelTopology: { any: 'thing' } }, weights });
  const file = Buffer.from(bytes);
  assert.equal(file.readUInt8(4), 2, 'version 2');
  assert.equal(file.readUInt32LE(9), crc32(Buffer.concat([file.subarray(0, 9), file.subarray(13)])), 'bytes 9-12: CRC-32 of every other byte');
  assert.equal(unpackModel(bytes).checksummed, true);
  // Every single byte changed (as 0xff over it would): bytes 0-4 fail the signature or version check, the rest the checksum.
  for (let at = 0; at < file.length; at++) {
    const bad = Buffer.from(file);
    bad[at] ^= 0xff;
    assert.throws(() => unpackModel(bad), at < 4 ? /no HNPK signature/ : at === 4 ? /version 253/ : /^Error: packed model is damaged: checksum mismatch \(stored CRC-32 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}\)/, `byte ${at}`);
  }
  assert.throws(() => unpackModel(Buffer.concat([file, Buffer.from([0, 1, 2])])), /damaged: checksum mismatch .*; it has 3 unexpected bytes after its end \(its header describes \d+ bytes, the file has \d+\)$/);
  assert.throws(() => unpackModel(file.subarray(0, file.length - 1)), /damaged: checksum mismatch .*; it is truncated/);
  assert.throws(() => unpackModel(file.subarray(0, 11)), /^Error: packed model is truncated$/);
});

test('a version 1 file (no checksum) still decodes, reported as unchecked, and must end where its header says', () => {
  const weights: PackedWeight[] = [{ name: 'a', shape: [4, 5], data: normal(20) }, { name: 'b', shape: [300], data: pruned(300, 0.2) }];
  const v1 = asVersion1(packModel({ model: { modelTopology: { any: 'thing' } }, weights }).bytes);
  const back = unpackModel(v1);
  assert.equal(back.checksummed, false);
  weights.forEach((w, i) => assert.deepEqual(back.weights[i].data, w.data));
  assert.throws(() => unpackModel(Buffer.concat([v1, Buffer.from([7, 7])])), /^Error: packed model has 2 unexpected bytes after its end \(its header describes \d+ bytes, the file has \d+\)$/);
  assert.throws(() => unpackModel(v1.subarray(0, v1.length - 1)), /^Error: packed model is truncated \(its header describes \d+ bytes, the file has \d+\)$/);
  const v3 = Buffer.from(v1);
  v3.writeUInt8(3, 4);
  assert.throws(() => unpackModel(v3), /packed model version 3: this Hone reads versions 1 and 2/);
});

test('a packed model decodes to an ordinary TF.js model with identical predictions', async () => {
  const model = buildModel({ type: 'cnn', filters: [4, 6], kernelSize: 3, pool: 2, dense: [12], activation: 'relu', dropout: 0, batchNorm: true }, { inputShape: [8, 8, 1], task: 'classification', classes: 10 }, 3, 0);
  // Make the weights compressible: prune half of every kernel, share the rest among 8 values.
  model.setWeights(model.getWeights().map((w) => {
    const d = (w.dataSync() as Float32Array).map((v, i) => (w.shape.length > 1 ? (i % 2 ? 0 : Math.fround(Math.round(v * 8) / 8)) : v + 0.01 * i));
    return tf.tensor(d, w.shape);
  }));
  const saved = await savedForm(model, { normalize: 'scale', input: { shift: [0], scale: [16] } as never });
  const { bytes } = packModel(saved);
  const decoded = await tf.loadLayersModel(tf.io.fromMemory(toArtifacts(unpackModel(bytes))));
  const original = await tf.loadLayersModel(tf.io.fromMemory(toArtifacts(saved)));
  const x = tf.randomUniform([64, 8, 8, 1], 0, 16, 'float32', 9);
  const [a, b] = [(original.predict(x) as tf.Tensor).dataSync(), (decoded.predict(x) as tf.Tensor).dataSync()];
  assert.deepEqual(Array.from(b), Array.from(a), 'identical predictions');
  const plain = tfjsFiles(saved, false);
  assert.ok(bytes.length < (plain.json.length + plain.bin.length) / 2, `${bytes.length} bytes packed, ${plain.json.length + plain.bin.length} as TF.js files`);
});

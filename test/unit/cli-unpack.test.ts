// `hone unpack <model.hone>` through the built CLI: a sound file becomes model.json + weights.bin, a damaged
// one is refused with exit 2 and nothing written, a version 1 file (no checksum) unpacks with a warning, and
// an --out that names a file (or a path below one) is refused before anything is read.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { hone } from '../helpers/cli';
import { packModel, type PackedWeight } from '../../src/engine/compress';

let dir: string;
let packed: Buffer;
const weights: PackedWeight[] = [
  { name: 'dense/kernel', shape: [30, 40], data: Float32Array.from({ length: 1200 }, (_, i) => (i % 3 ? 0 : Math.sin(i))) },
  { name: 'dense/bias', shape: [40], data: Float32Array.from({ length: 40 }, (_, i) => i / 8) },
];
/** Writes `bytes` as dir/name.hone; returns its path. */
function packedFile(name: string, bytes: Uint8Array): string {
  const file = join(dir, `${name}.hone`);
  writeFileSync(file, bytes);
  return file;
}

before(() => {
  dir = makeTmpDir();
  packed = Buffer.from(packModel({ model: { modelTopology: { any: 'thing' } }, weights }).bytes);
});
after(() => removeTmpDir(dir));

test('a sound file unpacks to float32 weights, without a warning', () => {
  const out = join(dir, 'sound');
  const r = hone(['unpack', packedFile('sound', packed), '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.deepEqual(new Float32Array(readFileSync(join(out, 'weights.bin')).buffer.slice(0)), Float32Array.from([...weights[0].data, ...weights[1].data]));
});

test('a damaged file (one byte changed, or bytes appended) exits 2 naming the damage, and writes nothing', () => {
  const flipped = Buffer.from(packed);
  flipped[flipped.length - 100] ^= 0xff;
  for (const [name, bytes, why] of [['flipped', flipped, ''], ['appended', Buffer.concat([packed, Buffer.from('junk')]), '; it has 4 unexpected bytes after its end']] as const) {
    const out = join(dir, `${name}-out`);
    const file = packedFile(name, bytes);
    const r = hone(['unpack', file, '--out', out]);
    assert.equal(r.code, 2, r.stdout);
    assert.ok(r.stderr.startsWith(`hone: ${file}: packed model is damaged: checksum mismatch (stored CRC-32 0x`), r.stderr);
    assert.ok(r.stderr.includes(why), r.stderr);
    assert.equal(existsSync(out), false, 'nothing written');
  }
});

test('a version 1 file (no checksum) still unpacks, with a warning that it could not be checked', () => {
  const v1 = Buffer.concat([packed.subarray(0, 9), packed.subarray(13)]);
  v1.writeUInt8(1, 4);
  const file = packedFile('v1', v1);
  const r = hone(['unpack', file, '--out', join(dir, 'v1-out')]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, `hone: ${file} is a version 1 packed model: it carries no checksum, so damage to its weights could not be detected\n`);
  assert.ok(existsSync(join(dir, 'v1-out', 'weights.bin')));
});

test('--out naming a file, or a path below one, is bad input, and the file is left alone', () => {
  const taken = join(dir, 'taken.txt');
  writeFileSync(taken, 'keep me');
  const r = hone(['unpack', packedFile('for-taken', packed), '--out', taken]);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, `hone: --out ${taken}: expected a folder for model.json and weights.bin (or a path where one can be made), found a file\n`);
  assert.equal(readFileSync(taken, 'utf8'), 'keep me');
  const below = join(taken, 'sub');
  const r2 = hone(['unpack', packedFile('for-below', packed), '--out', below]);
  assert.equal(r2.code, 2);
  assert.equal(r2.stderr, `hone: --out ${below}: expected a folder for model.json and weights.bin (or a path where one can be made), found a file (${taken})\n`);
});

test('a file where the default output folder would go is bad input too, with a way out', () => {
  const sub = join(dir, 'default-taken');
  mkdirSync(sub);
  writeFileSync(join(sub, 'model-unpacked'), 'keep me');
  const file = join(sub, 'model.hone');
  writeFileSync(file, packed);
  const r = hone(['unpack', file]);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, `hone: the default output folder ${join(sub, 'model-unpacked')} (give another with --out): expected a folder for model.json and weights.bin (or a path where one can be made), found a file\n`);
  assert.equal(readFileSync(join(sub, 'model-unpacked'), 'utf8'), 'keep me');
});

test('a folder without model.hone is bad input that says so (not a read error of a folder)', () => {
  const empty = join(dir, 'no-packed-model');
  mkdirSync(empty);
  const r = hone(['unpack', empty]);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, `hone: ${empty}: a folder without model.hone; expected a packed model file, or a compressed run's folder or id\n`);
});

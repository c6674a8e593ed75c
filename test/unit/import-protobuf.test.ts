// The protobuf wire reader on byte strings from the encoding guide and hand-encoded messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fields, ProtobufError } from '../../src/core/import';
import { bool, double, float, int64, last, repeated, string } from '../../src/core/import/protobuf';

const hex = (s: string) => Buffer.from(s.replace(/\s/g, ''), 'hex');

test('reads the encoding guide examples: varint 150 and the string "testing"', () => {
  const [a] = fields(hex('08 96 01'));
  assert.deepEqual(a, { no: 1, wire: 'varint', value: 150n });
  assert.equal(int64(a), 150);
  const [b] = fields(hex('12 07 74 65 73 74 69 6e 67'));
  assert.equal(b.no, 2);
  assert.equal(string(b), 'testing');
});

test('int64 reads negative numbers (ten-byte varints) and steps beyond 2^32', () => {
  assert.equal(int64(fields(hex('10 ff ff ff ff ff ff ff ff ff 01'))[0]), -1);
  assert.equal(int64(fields(hex('10 80 80 80 80 80 20'))[0]), 2 ** 40);
  assert.equal(bool(fields(hex('20 01'))[0]), true);
});

test('reads doubles (wire type 1) and floats (wire type 5) little-endian', () => {
  const d = Buffer.alloc(8);
  d.writeDoubleLE(1700000000.25);
  const f = Buffer.alloc(4);
  f.writeFloatLE(0.1);
  const fs = fields(Buffer.concat([hex('09'), d, hex('15'), f]));
  assert.equal(double(fs[0]), 1700000000.25);
  assert.equal(float(fs[1]), Math.fround(0.1));
});

test('repeated() reads packed and unpacked elements alike, in order', () => {
  const f = (v: number) => { const b = Buffer.alloc(4); b.writeFloatLE(v); return b; };
  const packed = Buffer.concat([hex('2a 08'), f(1.5), f(-2)]);
  const unpacked = Buffer.concat([hex('2d'), f(3)]);
  assert.deepEqual(repeated(fields(Buffer.concat([packed, unpacked])), 5, 'float'), [1.5, -2, 3]);
  // int_val = 7: packed varints [1, 300, -1], then one unpacked 5.
  const ints = Buffer.concat([hex('3a 0d 01 ac 02 ff ff ff ff ff ff ff ff ff 01'), hex('38 05')]);
  assert.deepEqual(repeated(fields(ints), 7, 'int64'), [1, 300, -1, 5]);
});

test('last() picks the last occurrence; unknown fields are returned, not fatal', () => {
  const fs = fields(hex('08 01 08 02 f8 06 07 a5 06 00 00 00 00'));
  assert.equal(int64(last(fs, 1)!), 2);
  assert.deepEqual(fs.map((x) => x.no), [1, 1, 111, 100]);
});

test('truncated fields, groups and field number 0 are ProtobufErrors', () => {
  assert.throws(() => fields(hex('12 07 74 65')), ProtobufError, 'length past the end');
  assert.throws(() => fields(hex('08 96')), ProtobufError, 'varint past the end');
  assert.throws(() => fields(hex('09 00 00')), ProtobufError, 'double past the end');
  assert.throws(() => fields(hex('0b 0c')), /wire type 3/, 'start group');
  assert.throws(() => fields(hex('00 01')), /field number 0/);
  assert.throws(() => double(fields(hex('08 01'))[0]), /expected wire type i64/);
});

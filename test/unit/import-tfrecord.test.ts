// TFRecord framing against frames made by the independent reference writer (test/helpers/tb-writer.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bufferSource, RecordError, tfRecords, type TfRecord } from '../../src/core/import';
import { frame, referenceMaskedCrc } from '../helpers/tb-writer';

const hex8 = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;

/** The records read before the first error, and that error. */
function readAll(bytes: Uint8Array): { records: TfRecord[]; error?: RecordError } {
  const records: TfRecord[] = [];
  try {
    for (const r of tfRecords(bufferSource(bytes))) records.push(r);
  } catch (e) {
    if (!(e instanceof RecordError)) throw e;
    return { records, error: e };
  }
  return { records };
}

const payloads = [Buffer.from('first'), Buffer.alloc(0), Buffer.from('a third record, longer than the others')];
const file = Buffer.concat(payloads.map(frame));
// Record k starts after k frames of 16 bytes of framing plus their data.
const offsets = [0, 16 + 5, 16 + 5 + 16];

test('reads every record with its offset, including an empty one', () => {
  const { records, error } = readAll(file);
  assert.equal(error, undefined);
  assert.deepEqual(records.map((r) => Buffer.from(r.data).toString()), payloads.map((p) => p.toString()));
  assert.deepEqual(records.map((r) => r.offset), offsets);
});

test('an empty file has no records', () => {
  assert.deepEqual(readAll(Buffer.alloc(0)), { records: [] });
});

test('a flipped data byte is a data CRC mismatch at its record, with the records before it kept', () => {
  const bad = Buffer.from(file);
  const at = offsets[2] + 12 + 4;
  bad[at] ^= 0x01;
  const { records, error } = readAll(bad);
  assert.equal(records.length, 2);
  const stored = bad.readUInt32LE(offsets[2] + 12 + payloads[2].length);
  const computed = referenceMaskedCrc(bad.subarray(offsets[2] + 12, offsets[2] + 12 + payloads[2].length));
  assert.equal(error?.offset, offsets[2]);
  assert.equal(error?.message, `record at byte ${offsets[2]}: data CRC mismatch (expected ${hex8(stored)}, found ${hex8(computed)})`);
});

test('a flipped length byte is a length CRC mismatch, not a wild read', () => {
  const bad = Buffer.from(file);
  bad[offsets[1] + 3] ^= 0x80;
  const { records, error } = readAll(bad);
  assert.equal(records.length, 1);
  assert.match(error!.message, new RegExp(`^record at byte ${offsets[1]}: length CRC mismatch \\(expected 0x[0-9a-f]{8}, found 0x[0-9a-f]{8}\\)$`));
});

test('a flipped stored CRC is reported the same way', () => {
  const bad = Buffer.from(file);
  bad[offsets[0] + 12 + 5] ^= 0xff;
  assert.match(readAll(bad).error!.message, /^record at byte 0: data CRC mismatch/);
});

test('a file cut inside a record or inside a header is truncated at that record', () => {
  const cutData = readAll(file.subarray(0, file.length - 3));
  assert.equal(cutData.records.length, 2);
  assert.equal(cutData.error?.message, `record at byte ${offsets[2]}: truncated: a record of ${payloads[2].length} bytes needs ${payloads[2].length + 16}, ${payloads[2].length + 13} left`);
  const cutHeader = readAll(file.subarray(0, offsets[2] + 5));
  assert.equal(cutHeader.records.length, 2);
  assert.equal(cutHeader.error?.message, `record at byte ${offsets[2]}: truncated: 5 bytes left, a record header needs 12`);
});

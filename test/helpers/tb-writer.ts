// A reference writer of TensorBoard event files, written from the format's documentation and the official
// .proto files, sharing no code with src/core/import (a reader checked only against itself proves little):
//   TFRecord: tensorflow/core/lib/io/record_writer.cc — uint64 len | u32 masked crc(len) | data | u32 masked crc(data)
//   CRC-32C: bit-at-a-time over the reflected polynomial 0x82F63B78 (the reader uses a table)
//   protobuf: protobuf.dev/programming-guides/encoding; Event, Summary, TensorProto field numbers from
//   tensorflow/tensorboard tensorboard/compat/proto/*.proto and plugins/hparams/plugin_data.proto.

function crc32cBitwise(data: Uint8Array): number {
  let crc = ~0;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0x82f63b78 & -(crc & 1));
  }
  return ~crc >>> 0;
}

/** TFRecord's masked CRC-32C of `data`, computed independently of the reader. */
export const referenceMaskedCrc = (data: Uint8Array) => {
  const c = crc32cBitwise(data);
  return (((c >>> 15) | (c << 17)) + 0xa282ead8) >>> 0;
};

const u32 = (n: number) => Buffer.from([n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff]);

/** One TFRecord around `data`. */
export function frame(data: Uint8Array): Buffer {
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(data.length));
  return Buffer.concat([len, u32(referenceMaskedCrc(len)), data, u32(referenceMaskedCrc(data))]);
}

// --- protobuf encoding ---
function varint(v: bigint | number): Buffer {
  let x = BigInt.asUintN(64, BigInt(v));
  const out: number[] = [];
  do {
    const low = Number(x & 0x7fn);
    x >>= 7n;
    out.push(x ? low | 0x80 : low);
  } while (x);
  return Buffer.from(out);
}
const key = (no: number, wire: number) => varint((no << 3) | wire);
export const pbVarint = (no: number, v: bigint | number) => Buffer.concat([key(no, 0), varint(v)]);
export const pbLen = (no: number, data: Uint8Array) => Buffer.concat([key(no, 2), varint(data.length), data]);
export const pbString = (no: number, s: string) => pbLen(no, Buffer.from(s, 'utf8'));
export function pbDouble(no: number, v: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(v);
  return Buffer.concat([key(no, 1), b]);
}
export function pbFloat(no: number, v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeFloatLE(v);
  return Buffer.concat([key(no, 5), b]);
}
const cat = (...parts: Buffer[]) => Buffer.concat(parts);

// --- tensorflow.Event and friends ---
/** `SummaryMetadata { plugin_data = 1 { plugin_name = 1, content = 2 }, data_class = 4 }`. */
export function metadata(plugin: string, content: Buffer = Buffer.alloc(0), dataClass?: number): Buffer {
  const pd = cat(pbString(1, plugin), content.length ? pbLen(2, content) : Buffer.alloc(0));
  return cat(pbLen(1, pd), dataClass === undefined ? Buffer.alloc(0) : pbVarint(4, dataClass));
}

/** `Summary.Value` with a TF1 `simple_value = 2` (float). */
export const simpleValue = (tag: string, v: number) => cat(pbString(1, tag), pbFloat(2, v));

export type TensorEncoding = 'content' | 'packed' | 'unpacked';
export type TensorDtype = 'float' | 'double' | 'int32' | 'int64';
const DTYPE: Record<TensorDtype, number> = { float: 1, double: 2, int32: 3, int64: 9 };

/** A rank-0 `TensorProto` holding `v`: tensor_content = 4 (raw LE), or float_val 5 / double_val 6 / int_val 7 / int64_val 10. */
export function scalarTensor(v: number, dtype: TensorDtype, enc: TensorEncoding): Buffer {
  const head = cat(pbVarint(1, DTYPE[dtype]), pbLen(2, Buffer.alloc(0)));
  const raw = Buffer.alloc(dtype === 'float' || dtype === 'int32' ? 4 : 8);
  if (dtype === 'float') raw.writeFloatLE(v);
  else if (dtype === 'double') raw.writeDoubleLE(v);
  else if (dtype === 'int32') raw.writeInt32LE(v);
  else raw.writeBigInt64LE(BigInt(v));
  if (enc === 'content') return cat(head, pbLen(4, raw));
  const no = { float: 5, double: 6, int32: 7, int64: 10 }[dtype];
  if (dtype === 'float' || dtype === 'double') {
    return cat(head, enc === 'packed' ? pbLen(no, raw) : dtype === 'float' ? pbFloat(no, v) : pbDouble(no, v));
  }
  return cat(head, enc === 'packed' ? pbLen(no, varint(v)) : pbVarint(no, v));
}

/** A TF2 scalar: `Summary.Value { tag = 1, tensor = 8, metadata = 9 }`; metadata on a tag's first value only, as writers do. */
export const tensorValue = (tag: string, tensor: Buffer, meta?: Buffer) =>
  cat(pbString(1, tag), meta ? pbLen(9, meta) : Buffer.alloc(0), pbLen(8, tensor));

/** A histogram value (`histo = 5`, HistogramProto { min = 1, max = 2, num = 3 }): never a scalar. */
export const histoValue = (tag: string) => cat(pbString(1, tag), pbLen(5, cat(pbDouble(1, 0), pbDouble(2, 1), pbDouble(3, 10))));

/** A TF2 histogram: plugin "histograms", a [1, 3] float tensor. */
export function histogramTensorValue(tag: string): Buffer {
  const dim = (n: number) => pbLen(2, pbVarint(1, n));
  const tensor = cat(pbVarint(1, 1), pbLen(2, cat(dim(1), dim(3))), pbLen(4, Buffer.alloc(12)));
  return tensorValue(tag, tensor, metadata('histograms'));
}

/** A `google.protobuf.Value`: number_value = 2, string_value = 3, bool_value = 4. */
function protoValue(v: number | string | boolean): Buffer {
  if (typeof v === 'number') return pbDouble(2, v);
  if (typeof v === 'string') return pbString(3, v);
  return pbVarint(4, v ? 1 : 0);
}

/**
 * The hparams plugin's session start, as tensorboard.plugins.hparams writes it: tag
 * "_hparams_/session_start_info", an empty float tensor of shape [0], content HParamsPluginData
 * { version = 1, session_start_info = 3 { hparams = 1 (map entries: key = 1, value = 2) } }.
 */
export function hparamsValue(hp: Record<string, number | string | boolean>): Buffer {
  const entries = Object.entries(hp).map(([k, v]) => pbLen(1, cat(pbString(1, k), pbLen(2, protoValue(v)))));
  const content = cat(pbVarint(1, 0), pbLen(3, cat(...entries)));
  const nullTensor = cat(pbVarint(1, 1), pbLen(2, pbLen(2, pbVarint(1, 0))));
  return tensorValue('_hparams_/session_start_info', nullTensor, metadata('hparams', content));
}

/** SessionLog.SessionStatus: START = 1, STOP = 2, CHECKPOINT = 3. */
export const SESSION = { start: 1, stop: 2, checkpoint: 3 } as const;

/**
 * `Event { wall_time = 1, step = 2, file_version = 3 | summary = 5 { value = 1 ... } | session_log = 7 }`,
 * `SessionLog { status = 1, checkpoint_path = 2 }` (a TF1 Supervisor writes START whenever a session starts).
 */
export function event(e: { wallTime: number; step?: number; fileVersion?: string; values?: Buffer[]; sessionLog?: number }): Buffer {
  return cat(
    pbDouble(1, e.wallTime),
    e.step ? pbVarint(2, e.step) : Buffer.alloc(0),
    e.fileVersion ? pbString(3, e.fileVersion) : Buffer.alloc(0),
    e.values ? pbLen(5, cat(...e.values.map((v) => pbLen(1, v)))) : Buffer.alloc(0),
    e.sessionLog ? pbLen(7, cat(pbVarint(1, e.sessionLog), pbString(2, '/tmp/model.ckpt'))) : Buffer.alloc(0),
  );
}

/** A whole event file: the "brain.Event:2" version record, then `events`, each framed. */
export const eventFile = (wallTime: number, events: Buffer[]) =>
  cat(frame(event({ wallTime, fileVersion: 'brain.Event:2' })), ...events.map(frame));

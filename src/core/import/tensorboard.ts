import { bool, bytes, double, fields, float, int64, last, repeated, string, type Field } from './protobuf';

/**
 * Decoding of the TensorBoard protos an event file holds, by field number, from the official .proto files
 * (tensorflow/tensorboard, tensorboard/compat/proto/{event,summary,tensor,tensor_shape,types}.proto, the
 * same numbers as tensorflow/core/{util/event,framework/summary,framework/tensor}.proto):
 *
 *   Event           wall_time = 1 (double), step = 2 (int64), file_version = 3, summary = 5, session_log = 7
 *   SessionLog      status = 1 (START = 1: a session began, at `step`, after a crash or restart perhaps)
 *   Summary         value = 1 (repeated)
 *   Summary.Value   tag = 1, simple_value = 2 (float), histo = 5, image = 4, audio = 6, node_name = 7,
 *                   tensor = 8, metadata = 9
 *   SummaryMetadata plugin_data = 1 { plugin_name = 1, content = 2 }, data_class = 4 (1: scalar)
 *   TensorProto     dtype = 1, tensor_shape = 2 { dim = 2 { size = 1 }, unknown_rank = 3 },
 *                   tensor_content = 4, float_val = 5, double_val = 6, int_val = 7, int64_val = 10
 *   DataType        DT_FLOAT = 1, DT_DOUBLE = 2, DT_INT32 = 3, DT_INT64 = 9
 */

/** One `Summary.Value`, as far as importing scalars needs it. */
export interface TbValue {
  tag: string;
  /** What the value's `oneof value` holds. */
  holds: 'simple_value' | 'tensor' | 'histo' | 'image' | 'audio' | 'other';
  /** `metadata.plugin_data.plugin_name`: writers set it on the first value of a tag only. */
  plugin?: string;
  pluginContent?: Uint8Array;
  /** `metadata.data_class == DATA_CLASS_SCALAR`. */
  scalarClass: boolean;
  /** `simple_value`, or the number of a tensor holding exactly one number of a supported dtype. */
  number?: number;
}

export interface TbEvent {
  wallTime: number;
  step: number;
  fileVersion?: string;
  /** A `SessionLog` with status START: training (re)started at `step`. */
  sessionStart?: true;
  values: TbValue[];
}

/**
 * A float32 as the shortest decimal that reads back to the same float32, as Python prints `np.float32`:
 * 0.1f is 0.10000000149011612 as a double, and is written 0.1.
 */
export function float32Decimal(x: number): number {
  if (!Number.isFinite(x)) return x;
  for (let p = 1; p < 9; p++) {
    const y = Number(x.toPrecision(p));
    if (Math.fround(y) === x) return y;
  }
  return Number(x.toPrecision(9));
}

const SESSION_START = 1;
const DT_FLOAT = 1;
const DT_DOUBLE = 2;
const DT_INT32 = 3;
const DT_INT64 = 9;

/** The single number a `TensorProto` holds, or undefined for other shapes and dtypes. */
export function tensorNumber(buf: Uint8Array): number | undefined {
  const fs = fields(buf);
  const dtype = fs.some((f) => f.no === 1) ? int64(last(fs, 1)!) : 0;
  const shape = last(fs, 2);
  if (shape) {
    const sf = fields(bytes(shape));
    const rankUnknown = sf.some((f) => f.no === 3 && bool(f));
    const sizes = sf.filter((f) => f.no === 2).map((d) => {
      const size = last(fields(bytes(d)), 1);
      return size ? int64(size) : 0;
    });
    if (rankUnknown || sizes.reduce((a, b) => a * b, 1) !== 1) return undefined;
  }
  const content = last(fs, 4);
  if (content && bytes(content).length) return fromContent(dtype, bytes(content));
  const [value] =
    dtype === DT_FLOAT ? repeated(fs, 5, 'float').map(float32Decimal)
    : dtype === DT_DOUBLE ? repeated(fs, 6, 'double')
    : dtype === DT_INT32 ? repeated(fs, 7, 'int64')
    : dtype === DT_INT64 ? repeated(fs, 10, 'int64')
    : [];
  return value;
}

/** `tensor_content`: the raw little-endian bytes of one element. */
function fromContent(dtype: number, b: Uint8Array): number | undefined {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (dtype === DT_FLOAT && b.length === 4) return float32Decimal(v.getFloat32(0, true));
  if (dtype === DT_DOUBLE && b.length === 8) return v.getFloat64(0, true);
  if (dtype === DT_INT32 && b.length === 4) return v.getInt32(0, true);
  if (dtype === DT_INT64 && b.length === 8) return Number(v.getBigInt64(0, true));
  return undefined;
}

const HOLDS: Record<number, TbValue['holds']> = { 2: 'simple_value', 3: 'histo', 4: 'image', 5: 'histo', 6: 'audio', 8: 'tensor' };

function decodeValue(buf: Uint8Array): TbValue {
  const fs = fields(buf);
  const payload = fs.filter((f) => f.no in HOLDS).at(-1);
  const holds = payload ? HOLDS[payload.no] : 'other';
  const tagField = last(fs, 1) ?? last(fs, 7);
  const v: TbValue = { tag: tagField ? string(tagField) : '', holds, scalarClass: false };
  const meta = last(fs, 9);
  if (meta) {
    const mf = fields(bytes(meta));
    const pd = last(mf, 1);
    const pf = pd ? fields(bytes(pd)) : [];
    const name = last(pf, 1);
    const content = last(pf, 2);
    if (name) v.plugin = string(name);
    if (content) v.pluginContent = bytes(content);
    const dataClass = last(mf, 4);
    v.scalarClass = dataClass !== undefined && int64(dataClass) === 1;
  }
  if (payload?.no === 2) v.number = float32Decimal(float(payload));
  if (payload?.no === 8) v.number = tensorNumber(bytes(payload));
  return v;
}

/** Decodes one event record; throws `ProtobufError` for bytes that are no valid message. */
export function decodeEvent(buf: Uint8Array): TbEvent {
  const fs = fields(buf);
  const wall = last(fs, 1);
  const step = last(fs, 2);
  const version = last(fs, 3);
  const summary = last(fs, 5);
  const sessionLog = last(fs, 7);
  const status = sessionLog ? last(fields(bytes(sessionLog)), 1) : undefined;
  const values = summary ? fields(bytes(summary)).filter((f) => f.no === 1).map((f) => decodeValue(bytes(f))) : [];
  return {
    wallTime: wall ? double(wall) : 0,
    step: step ? int64(step) : 0,
    ...(version ? { fileVersion: string(version) } : {}),
    ...(status && int64(status) === SESSION_START ? { sessionStart: true as const } : {}),
    values,
  };
}

/** A `google.protobuf.Value` as JSON: null = 1, number = 2, string = 3, bool = 4, struct = 5, list = 6. */
function protoValue(buf: Uint8Array): unknown {
  const f = fields(buf).at(-1);
  if (!f || f.no === 1) return null;
  if (f.no === 2) return double(f);
  if (f.no === 3) return string(f);
  if (f.no === 4) return bool(f);
  if (f.no === 5) return mapEntries(fields(bytes(f)), 1);
  if (f.no === 6) return fields(bytes(f)).filter((e) => e.no === 1).map((e) => protoValue(bytes(e)));
  return null;
}

/** A `map<string, Value>` field `no` (entries: key = 1, value = 2) as an object. */
function mapEntries(fs: Field[], no: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const e of fs.filter((f) => f.no === no)) {
    const ef = fields(bytes(e));
    const key = last(ef, 1);
    const value = last(ef, 2);
    out[key ? string(key) : ''] = value ? protoValue(bytes(value)) : null;
  }
  return out;
}

/**
 * The hparams of an hparams-plugin `content` (tensorboard/plugins/hparams/plugin_data.proto:
 * HParamsPluginData { session_start_info = 3 }, SessionStartInfo { map<string, Value> hparams = 1 }),
 * or undefined when the content is another kind (experiment, session end).
 */
export function sessionStartHparams(content: Uint8Array): Record<string, unknown> | undefined {
  const start = last(fields(content), 3);
  return start ? mapEntries(fields(bytes(start)), 1) : undefined;
}

import { I32, LOAD, STORE, V128, loopWhileBelow, op, shuffle, type FunctionSpec } from './wasm-asm';

/**
 * Column sums of a float32 [rows, cols] matrix for its first C4 columns (a multiple of 4) as a
 * WebAssembly SIMD function on the wasm backend's memory: four columns a pass down the rows, each
 * pair of them accumulated in a float64x2 in row order and rounded to float32 once at the end, the
 * same additions in the same order as `columnSums` (sum-leading.ts) and the cpu backend, so exact.
 *   f(from, to, rows, C4, rowBytes = 4 cols): to[c] = sum over r of from[r, c], c < C4
 */
const [FROM, TO, ROWS, C4, ROW] = [0, 1, 2, 3, 4];
const [C, R, PTR] = [5, 6, 7];
const [LO, HI, V] = [8, 9, 10];

const { get, set, i32, i32Add, i32Mul } = op;
const [F64X2_ADD, F64X2_PROMOTE_LOW, F32X4_DEMOTE_ZERO] = [0xf0, 0x5f, 0x5e].map(op.simd);
const ZERO = [...op.simd(0x0c), ...Array(16).fill(0)]; // v128.const 0

const down = [
  // lo += (v[0], v[1]) and hi += (v[2], v[3]), in float64
  ...get(PTR), ...LOAD, ...set(V),
  ...get(LO), ...get(V), ...F64X2_PROMOTE_LOW, ...F64X2_ADD, ...set(LO),
  ...get(HI), ...get(V), ...get(V), ...shuffle([2, 3, 0, 1]), ...F64X2_PROMOTE_LOW, ...F64X2_ADD, ...set(HI),
  ...get(PTR), ...get(ROW), ...i32Add, ...set(PTR),
];

const column4 = [
  ...ZERO, ...set(LO), ...ZERO, ...set(HI),
  ...get(FROM), ...get(C), ...i32(4), ...i32Mul, ...i32Add, ...set(PTR),
  ...i32(0), ...set(R),
  ...loopWhileBelow(R, ROWS, 1, down),
  // to[c..c+3] = (f32(lo[0]), f32(lo[1]), f32(hi[0]), f32(hi[1]))
  ...get(TO), ...get(C), ...i32(4), ...i32Mul, ...i32Add,
  ...get(LO), ...F32X4_DEMOTE_ZERO, ...get(HI), ...F32X4_DEMOTE_ZERO, ...shuffle([0, 1, 4, 5]), ...STORE,
];

export const SIMD_COLUMN_SUMS: FunctionSpec = {
  params: Array(5).fill(I32),
  locals: [I32, I32, I32, V128, V128, V128],
  body: loopWhileBelow(C, C4, 4, column4),
};

import { I32, LOAD, STORE, V128, loopWhileBelow, op, shuffle, type FunctionSpec } from './wasm-asm';

/**
 * The transpose of one float32 matrix's leading A4 x B4 block (both multiples of 4) as a WebAssembly
 * SIMD function on the wasm backend's memory, in 4 x 4 tiles: four rows loaded, eight shuffles, four
 * columns stored. A copy, so exact. Tiles go down a strip of 4 columns, so the 4 output rows it
 * makes are written in order: across rows instead, at power-of-two row lengths (512 floats) the
 * stores land in a few cache sets and evict each other (512 x 512 took 0.36 ms instead of 0.09).
 *   f(from, to, A4, B4, rowBytes = 4 B, colBytes = 4 A, base): to[b, a] = from[a, b]
 * for the matrix `base` bytes into both tensors (a batch of matrices is one call per matrix).
 */
const [FROM, TO, A4, B4, ROW, COL, BASE] = [0, 1, 2, 3, 4, 5, 6];
const [A, B, SRC, DST] = [7, 8, 9, 10];
const [R0, R1, R2, R3, T0, T1, T2, T3] = [11, 12, 13, 14, 15, 16, 17, 18];

const { get, set, i32, i32Add, i32Mul } = op;
/** base + row * stride + col * 4, as an i32 on the stack. */
const address = (base: number, row: number, stride: number, col: number) => [...get(base), ...get(row), ...get(stride), ...i32Mul, ...i32Add, ...get(col), ...i32(4), ...i32Mul, ...i32Add];
/** get(ptr) + k * get(stride): k is 0 to 3. */
const plus = (ptr: number, stride: number, k: number) => (k ? [...get(ptr), ...get(stride), ...i32(k), ...i32Mul, ...i32Add] : get(ptr));

const tile = [
  ...address(FROM, A, ROW, B), ...set(SRC),
  ...address(TO, B, COL, A), ...set(DST),
  ...[R0, R1, R2, R3].flatMap((r, k) => [...plus(SRC, ROW, k), ...LOAD, ...set(r)]),
  // t0 = (r0[0], r1[0], r0[1], r1[1]), t1 = (r0[2], r1[2], r0[3], r1[3]); t2, t3 the same of r2, r3
  ...[[T0, R0, R1, 0], [T1, R0, R1, 2], [T2, R2, R3, 0], [T3, R2, R3, 2]].flatMap(([t, x, y, l]) => [...get(x), ...get(y), ...shuffle([l, l + 4, l + 1, l + 5]), ...set(t)]),
  // column k of the tile = row k of the output
  ...[[T0, T2, 0], [T0, T2, 2], [T1, T3, 0], [T1, T3, 2]].flatMap(([x, y, l], k) => [...plus(DST, COL, k), ...get(x), ...get(y), ...shuffle([l, l + 1, l + 4, l + 5]), ...STORE]),
];

export const SIMD_TRANSPOSE: FunctionSpec = {
  params: Array(7).fill(I32),
  locals: [I32, I32, I32, I32, ...Array(8).fill(V128)],
  body: [
    ...[FROM, TO].flatMap((p) => [...get(p), ...get(BASE), ...i32Add, ...set(p)]),
    ...loopWhileBelow(B, B4, 4, [...i32(0), ...set(A), ...loopWhileBelow(A, A4, 4, tile)]),
  ],
};

import { F32, F32X4_ADD, F32X4_DIV, F32X4_MUL, F32X4_SPLAT, F32X4_SQRT, F32X4_SUB, I32, LOAD, STORE, V128, loopWhileBelow, op, type FunctionSpec } from './wasm-asm';

/**
 * Adam's update as a WebAssembly SIMD function on the wasm backend's memory, four floats per
 * instruction, in the order of operations of `adamUpdate` (adam-update.ts) and the op-by-op optimizer:
 *   f(w, g, m, s, wOut, mOut, sOut, bytes, b1, 1-b1, b2, 1-b2, eps, lr, c1, c2, keep)
 * with pointers as byte offsets and `bytes` a multiple of 16.
 */
const [W, G, M, S, W_OUT, M_OUT, S_OUT, BYTES] = [0, 1, 2, 3, 4, 5, 6, 7];
const SCALARS = 9;
const OFF = 17;
const SPLAT = 18; // the scalars splatted: locals SPLAT + 0..8
const [B1, OB1, B2, OB2, EPS, LR, C1, C2, KEEP] = [...Array(SCALARS).keys()].map((i) => SPLAT + i);
const [GV, MV, SV] = [SPLAT + SCALARS, SPLAT + SCALARS + 1, SPLAT + SCALARS + 2];

const { get, set, tee } = op;
const at = (ptr: number) => [...get(ptr), ...get(OFF), ...op.i32Add];
const load = (ptr: number) => [...at(ptr), ...LOAD];

const step = [
  // m' = m b1 + g (1 - b1)
  ...load(M), ...get(B1), ...F32X4_MUL, ...load(G), ...tee(GV), ...get(OB1), ...F32X4_MUL, ...F32X4_ADD, ...set(MV),
  // s' = s b2 + g^2 (1 - b2)
  ...load(S), ...get(B2), ...F32X4_MUL, ...get(GV), ...get(GV), ...F32X4_MUL, ...get(OB2), ...F32X4_MUL, ...F32X4_ADD, ...set(SV),
  // w' = w keep - m' / c1 / (sqrt(s' / c2) + eps) lr   (keep is 1 without decay: w * 1 is w exactly)
  ...at(W_OUT),
  ...load(W), ...get(KEEP), ...F32X4_MUL,
  ...get(MV), ...get(C1), ...F32X4_DIV, ...get(SV), ...get(C2), ...F32X4_DIV, ...F32X4_SQRT, ...get(EPS), ...F32X4_ADD, ...F32X4_DIV, ...get(LR), ...F32X4_MUL,
  ...F32X4_SUB, ...STORE,
  ...at(M_OUT), ...get(MV), ...STORE,
  ...at(S_OUT), ...get(SV), ...STORE,
];

export const SIMD_ADAM: FunctionSpec = {
  params: [...Array(BYTES + 1).fill(I32), ...Array(SCALARS).fill(F32)],
  locals: [I32, ...Array(SCALARS + 3).fill(V128)],
  body: [
    ...[...Array(SCALARS).keys()].flatMap((i) => [...get(BYTES + 1 + i), ...F32X4_SPLAT, ...set(SPLAT + i)]),
    ...loopWhileBelow(OFF, BYTES, 16, step),
  ],
};

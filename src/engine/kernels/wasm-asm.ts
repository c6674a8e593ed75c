/**
 * A WebAssembly assembler just big enough for Hone's SIMD kernels: a module of one exported function
 * that imports the wasm backend's memory (`env.memory`), so the function reads and writes tensors
 * where TF.js keeps them. Written byte by byte from the WebAssembly binary format (core spec 5, and
 * the SIMD proposal's opcodes): no compiler is needed at build or install time. Plain (not relaxed)
 * SIMD only, whose float arithmetic is IEEE with one rounding per operation.
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;

const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (s: string): number[] => [...uleb(s.length), ...Buffer.from(s)];

/** Instructions, as bytes to spread into a function body. */
export const op = {
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  tee: (i: number) => [0x22, ...uleb(i)],
  /** i32.const for 0 <= n < 64 (a one-byte signed LEB128). */
  i32: (n: number) => [0x41, n],
  i32Add: [0x6a],
  i32Mul: [0x6c],
  i32GeU: [0x4f],
  simd: (code: number) => [0xfd, ...uleb(code)],
};
/** v128.load / v128.store at the address on the stack (alignment hint 1 byte, offset 0). */
export const LOAD = [...op.simd(0x00), 0, 0];
export const STORE = [...op.simd(0x0b), 0, 0];
export const [F32X4_SPLAT, F32X4_SQRT, F32X4_ADD, F32X4_SUB, F32X4_MUL, F32X4_DIV] = [0x13, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7].map(op.simd);
/** i8x16.shuffle of the two vectors on the stack, picking four float lanes (0-3 from the first, 4-7 from the second). */
export const shuffle = (lanes: [number, number, number, number]) => [...op.simd(0x0d), ...lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3])];

/** `while (get(i) < get(end)) { ...body; i += step }`, with i an i32 local and step < 64. */
export const loopWhileBelow = (i: number, end: number, step: number, body: number[]): number[] => [
  0x02, 0x40, 0x03, 0x40, // block, loop
  ...op.get(i), ...op.get(end), ...op.i32GeU, 0x0d, 1, // i >= end: leave the block
  ...body,
  ...op.get(i), ...op.i32(step), ...op.i32Add, ...op.set(i),
  0x0c, 0, 0x0b, 0x0b, // back to the loop; end loop; end block
];

export interface FunctionSpec {
  params: number[];
  /** Extra locals after the parameters, in order. */
  locals: number[];
  body: number[];
}

/** A module exporting `f`; its memory import is shared (TF.js's threaded build, 4 GiB maximum) or not. */
export function assemble(f: FunctionSpec, shared: boolean): Uint8Array<ArrayBuffer> {
  const limits = shared ? [0x03, 0, ...uleb(65536)] : [0x00, 0];
  const code = [...vec(f.locals.map((t) => [1, t])), ...f.body, 0x0b];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, ...vec(f.params.map((p) => [p])), 0]])),
    ...section(2, vec([[...name('env'), ...name('memory'), 0x02, ...limits]])),
    ...section(3, vec([[0]])),
    ...section(7, vec([[...name('f'), 0x00, 0]])),
    ...section(10, vec([[...uleb(code.length), ...code]])),
  ]);
}

export type WasmFn = (...args: number[]) => void;

const instances = new WeakMap<FunctionSpec, WeakMap<WebAssembly.Memory, WasmFn | undefined>>();

/** `f` instantiated on `memory` (once per function and memory); undefined where this engine lacks WebAssembly SIMD. */
function bindTo(memory: WebAssembly.Memory, f: FunctionSpec): WasmFn | undefined {
  const cache = instances.get(f) ?? instances.set(f, new WeakMap()).get(f)!;
  if (cache.has(memory)) return cache.get(memory);
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  const bytes = assemble(f, shared);
  const fn = WebAssembly.validate(bytes) ? (new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports.f as WasmFn) : undefined;
  cache.set(memory, fn);
  return fn;
}

/**
 * `f` on a wasm backend's memory (exported by TF.js's single-threaded build, imported shared by the
 * threaded one), called with tensors as their byte offsets in it; undefined where WebAssembly SIMD is
 * missing, and the caller then computes in JavaScript.
 */
export function simdKernel(backend: BackendWasm, f: FunctionSpec): ((...args: (TensorInfo | number)[]) => void) | undefined {
  const m = backend.wasm as unknown as { wasmMemory?: WebAssembly.Memory; asm?: { memory?: WebAssembly.Memory } };
  const memory = m.wasmMemory ?? m.asm?.memory;
  const fn = memory && bindTo(memory, f);
  if (!fn) return undefined;
  const offset = (a: TensorInfo | number) => (typeof a === 'number' ? a : backend.dataIdMap.get(a.dataId)!.memoryOffset);
  return (...args) => fn(...args.map(offset));
}

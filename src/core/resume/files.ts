/**
 * The checkpoint folder format: `runs/<id>/checkpoints/<slot>/`, slot `last` or `best`, each holding
 *
 *   checkpoint.json  { format: 'hone-checkpoint', version: 1, epoch, written (ISO time),
 *                      arrays: [{ name, dtype, shape, offset }], bytes, sha256, state, spec? }
 *   arrays.bin       the arrays' values back to back, little-endian float32 or int32, each at its byte
 *                    `offset`; `bytes` long, with SHA-256 `sha256` (hex)
 *
 * `spec` is the spec the run trained with up to `epoch` (a resume refuses a run.json whose spec was
 * changed since). `state` is the trainer's JSON (engine/train/checkpoint-io.ts), written as store JSON (NaN and the
 * infinities as strings). A slot is replaced whole: written into `.<slot>.<pid>.<random>.tmp/` (files
 * fsynced), then the old slot is renamed to `<slot>.old`, the new one renamed into place and the `.old`
 * removed. Killed at any point, the slot or its `.old` holds a complete checkpoint, and readers fall back
 * to `.old`; the next write clears leftover temp folders. Nothing here needs TF.js.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { writeSyncedFileSync } from '../store/fs-util';
import { createHash, randomBytes } from 'node:crypto';
import { endianness } from 'node:os';
import { join } from 'node:path';
import { stringifyJson } from '../store/numbers';

export const CHECKPOINTS_DIR = 'checkpoints';
export const CHECKPOINT_FILE = 'checkpoint.json';
export const ARRAYS_FILE = 'arrays.bin';
export type CheckpointSlot = 'last' | 'best';

export interface StoredArray {
  name: string;
  shape: number[];
  data: Float32Array | Int32Array;
}

/** A checkpoint as stored: the epoch it ends, the trainer's JSON state and its arrays. */
export interface StoredCheckpoint {
  epoch: number;
  state: unknown;
  arrays: StoredArray[];
  /** ISO time it was written (set by `writeCheckpoint`). */
  written?: string;
  /** The spec the run trained with up to `epoch` (absent in checkpoints of Hone before it was kept). */
  spec?: unknown;
}

interface Header {
  format: 'hone-checkpoint';
  version: 1;
  epoch: number;
  written: string;
  arrays: { name: string; dtype: 'float32' | 'int32'; shape: number[]; offset: number }[];
  bytes: number;
  sha256: string;
  state: unknown;
  spec?: unknown;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

// Typed arrays use the machine's byte order; the format is little-endian, like every machine Node ships for but s390x.
function assertLittleEndian(): void {
  if (endianness() !== 'LE') throw new Error('checkpoints are little-endian and this machine is big-endian');
}


/** Replaces `runDir`'s checkpoint `slot` with `c`, atomically (see the file's comment), unless `stillOwner()` says this process no longer owns the run. */
export function writeCheckpoint(runDir: string, slot: CheckpointSlot, c: StoredCheckpoint, stillOwner: () => boolean = () => true): void {
  assertLittleEndian();
  const root = join(runDir, CHECKPOINTS_DIR);
  // Asked again just before each step that touches what another writer may own: a worker paused while
  // its run was resumed elsewhere (core/store/owner.ts) must not clear or replace the new worker's files.
  if (!stillOwner()) return;
  mkdirSync(root, { recursive: true });
  // One worker writes a run's checkpoints, one at a time: any temp folder here is a killed write's.
  for (const name of readdirSync(root)) if (name.endsWith('.tmp')) rmSync(join(root, name), { recursive: true, force: true });
  const tmp = join(root, `.${slot}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    mkdirSync(tmp);
    let offset = 0;
    const arrays = c.arrays.map((a) => {
      if (a.data.length !== size(a.shape)) throw new Error(`checkpoint array ${a.name}: ${a.data.length} values for shape [${a.shape}]`);
      const entry = { name: a.name, dtype: a.data instanceof Int32Array ? 'int32' as const : 'float32' as const, shape: a.shape, offset };
      offset += a.data.byteLength;
      return entry;
    });
    const bin = Buffer.concat(c.arrays.map((a) => Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength)));
    writeSyncedFileSync(join(tmp, ARRAYS_FILE), bin);
    const header: Header = {
      format: 'hone-checkpoint', version: 1, epoch: c.epoch, written: new Date().toISOString(), arrays, bytes: bin.length, sha256: sha256(bin), state: c.state, spec: c.spec,
    };
    writeSyncedFileSync(join(tmp, CHECKPOINT_FILE), stringifyJson(header) + '\n');
    const [dest, old] = [join(root, slot), join(root, `${slot}.old`)];
    if (!stillOwner()) return void rmSync(tmp, { recursive: true, force: true });
    if (existsSync(dest)) {
      rmSync(old, { recursive: true, force: true });
      renameSync(dest, old);
    }
    renameSync(tmp, dest);
    rmSync(old, { recursive: true, force: true });
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** Reads one checkpoint folder, checking its header and the SHA-256 of its arrays; throws with what is wrong. */
function readFolder(dir: string): StoredCheckpoint {
  const h = JSON.parse(readFileSync(join(dir, CHECKPOINT_FILE), 'utf8')) as Header;
  if (h?.format !== 'hone-checkpoint' || h.version !== 1) throw new Error(`not a version 1 hone checkpoint (format ${h?.format}, version ${h?.version})`);
  if (!Number.isInteger(h.epoch) || h.epoch < 1 || !Array.isArray(h.arrays)) throw new Error('checkpoint.json lacks a valid epoch or array list');
  const bin = readFileSync(join(dir, ARRAYS_FILE));
  if (bin.length !== h.bytes || sha256(bin) !== h.sha256) throw new Error(`${ARRAYS_FILE} is damaged (${bin.length} bytes, expected ${h.bytes} with its SHA-256)`);
  const arrays = h.arrays.map((a) => {
    const n = size(a.shape);
    if (a.offset + n * 4 > bin.length) throw new Error(`array ${a.name} runs past the end of ${ARRAYS_FILE}`);
    // A copy: the file's buffer need not be 4-byte aligned at the offset.
    const bytes = new Uint8Array(bin.subarray(a.offset, a.offset + n * 4)).buffer;
    return { name: a.name, shape: a.shape, data: a.dtype === 'int32' ? new Int32Array(bytes) : new Float32Array(bytes) };
  });
  return { epoch: h.epoch, written: h.written, state: h.state, spec: h.spec, arrays };
}

/**
 * `runDir`'s checkpoint `slot` (or, when a write was killed between its renames, the `.old` it left),
 * or undefined when the run has none. Throws, naming each problem, when every copy present is damaged.
 */
export function readCheckpoint(runDir: string, slot: CheckpointSlot): StoredCheckpoint | undefined {
  assertLittleEndian();
  const problems: string[] = [];
  for (const name of [slot, `${slot}.old`]) {
    const dir = join(runDir, CHECKPOINTS_DIR, name);
    if (!existsSync(dir)) continue;
    try {
      return readFolder(dir);
    } catch (e) {
      problems.push(`${name}: ${(e as Error).message}`);
    }
  }
  if (problems.length) throw new Error(`the checkpoint in ${join(runDir, CHECKPOINTS_DIR)} cannot be read: ${problems.join('; ')}`);
  return undefined;
}

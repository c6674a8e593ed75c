/**
 * Binary values that travel beside BullMQ's jobs (a federated round's global weights, a client's data and
 * its update): stored once per run under their sha256 as plain Redis strings, with an expiry, and checked
 * against the digest and size the job names before anyone reads them; the run removes them when they are
 * no longer needed and when it ends. A job's own data stays small JSON.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { PREFIX } from './connect';

/** A blob as a job names it: its digest and size, and the run that stored it (its own keys, removed with it). */
export interface BlobRef {
  sha256: string;
  bytes: number;
  run: string;
}

/** How long a blob lives in Redis after its last use. */
export const BLOB_TTL_MS = 60 * 60 * 1000;

const blobKey = (ref: Pick<BlobRef, 'run' | 'sha256'>) => `${PREFIX}:blob:${ref.run}:${ref.sha256}`;
const digest = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The bytes of a typed array, without a copy. */
export const bytesOf = (a: ArrayBufferView): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** Stores `b` for run `run` (once: a blob already there only has its expiry renewed) and returns its reference. */
export async function putBlob(redis: Redis, run: string, b: Buffer): Promise<BlobRef> {
  const ref = { sha256: digest(b), bytes: b.length, run };
  const key = blobKey(ref);
  if ((await redis.set(key, b, 'PX', BLOB_TTL_MS, 'NX')) !== 'OK') await redis.pexpire(key, BLOB_TTL_MS);
  return ref;
}

/** The blob `ref` names, verified (size, then sha256); throws saying which check failed. */
export async function getBlob(redis: Redis, ref: BlobRef, what: string): Promise<Buffer> {
  const b = await redis.getBuffer(blobKey(ref));
  if (!b) throw new Error(`${what}: blob ${ref.sha256.slice(0, 12)} is not in the queue (expired, or never stored)`);
  if (b.length !== ref.bytes) throw new Error(`${what}: ${b.length} bytes in the queue, the job names ${ref.bytes}`);
  const sha = digest(b);
  if (sha !== ref.sha256) throw new Error(`${what}: checksum mismatch (sha256 ${sha.slice(0, 12)}, the job names ${ref.sha256.slice(0, 12)})`);
  return b;
}

/** Renews the expiry of blobs still in use (a client's data, read again in each round it is sampled). */
export async function touchBlobs(redis: Redis, refs: BlobRef[]): Promise<void> {
  await Promise.all(refs.map((ref) => redis.pexpire(blobKey(ref), BLOB_TTL_MS)));
}

/** Removes blobs no longer needed (a round's weights once the next round has its own, an update once read). */
export async function dropBlobs(redis: Redis, refs: BlobRef[]): Promise<void> {
  if (refs.length) await redis.del(...refs.map(blobKey));
}

/** Removes every blob run `run` stored (when it ends). */
export async function dropRunBlobs(redis: Redis, run: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${PREFIX}:blob:${run}:*`, 'COUNT', 500);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

const SHA = /^[0-9a-f]{64}$/;
const RUN = /^[\w-]{1,64}$/;

/** True when `x` has a blob reference's shape. */
export const isBlobRef = (x: unknown): x is BlobRef => {
  const r = x as BlobRef;
  return typeof x === 'object' && x !== null && SHA.test(String(r.sha256)) && RUN.test(String(r.run)) && Number.isInteger(r.bytes) && r.bytes >= 0;
};

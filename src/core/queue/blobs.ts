/**
 * Binary values that travel beside BullMQ's jobs (a federated round's global weights, a client's data and
 * its update): stored once under their sha256 as plain Redis strings, with an expiry, and checked against
 * the digest and size the job names before anyone reads them. A job's own data stays small JSON.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { PREFIX } from './connect';

/** A blob as a job names it. */
export interface BlobRef {
  sha256: string;
  bytes: number;
}

/** How long a blob lives in Redis after its last use. */
export const BLOB_TTL_MS = 60 * 60 * 1000;

const blobKey = (sha256: string) => `${PREFIX}:blob:${sha256}`;
const digest = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The bytes of a typed array, without a copy. */
export const bytesOf = (a: ArrayBufferView): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** Stores `b` (once: a blob already there only has its expiry renewed) and returns its reference. */
export async function putBlob(redis: Redis, b: Buffer): Promise<BlobRef> {
  const ref = { sha256: digest(b), bytes: b.length };
  const key = blobKey(ref.sha256);
  if ((await redis.set(key, b, 'PX', BLOB_TTL_MS, 'NX')) !== 'OK') await redis.pexpire(key, BLOB_TTL_MS);
  return ref;
}

/** The blob `ref` names, verified (size, then sha256); throws saying which check failed. */
export async function getBlob(redis: Redis, ref: BlobRef, what: string): Promise<Buffer> {
  const b = await redis.getBuffer(blobKey(ref.sha256));
  if (!b) throw new Error(`${what}: blob ${ref.sha256.slice(0, 12)} is not in the queue (expired, or never stored)`);
  if (b.length !== ref.bytes) throw new Error(`${what}: ${b.length} bytes in the queue, the job names ${ref.bytes}`);
  const sha = digest(b);
  if (sha !== ref.sha256) throw new Error(`${what}: checksum mismatch (sha256 ${sha.slice(0, 12)}, the job names ${ref.sha256.slice(0, 12)})`);
  return b;
}

const SHA = /^[0-9a-f]{64}$/;

/** True when `x` has a blob reference's shape. */
export const isBlobRef = (x: unknown): x is BlobRef =>
  typeof x === 'object' && x !== null && SHA.test(String((x as BlobRef).sha256)) && Number.isInteger((x as BlobRef).bytes) && (x as BlobRef).bytes >= 0;

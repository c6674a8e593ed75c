/**
 * The data half of a run's provenance: a SHA-256 of the samples the run actually trained and was
 * evaluated on (every part's inputs and targets, as float32 bytes, after splitting and normalising), so
 * two runs can be told to have seen the same data even when it was generated; and each data file read,
 * with its size and its own hash, so a changed file is visible.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { DataSpec } from '../core/spec/types';
import type { Provenance } from '../core/store/types';
import { DIGITS_FILE, findBundledData, type Dataset } from './data';
import { MNIST_FILES, mnistDir, mnistFileIn } from '../core/datasets';

const sha256 = (...chunks: Uint8Array[]): string => {
  const h = createHash('sha256');
  chunks.forEach((c) => h.update(c));
  return h.digest('hex');
};

const bytes = (a: Float32Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** The files a data spec reads (none for generated data). */
function dataFiles(spec: DataSpec, baseDir: string): string[] {
  const at = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  switch (spec.source) {
    case 'csv': return [at(spec.path)];
    case 'mnist': {
      // The file the loader read: gz or uncompressed (mnist.ts).
      const dir = mnistDir(spec.path, baseDir);
      return MNIST_FILES.map((f) => mnistFileIn(dir, f) ?? join(dir, f));
    }
    case 'digits': return [findBundledData(DIGITS_FILE)];
    default: return [];
  }
}

export function dataProvenance(data: Dataset, spec: DataSpec, baseDir: string): NonNullable<Provenance['data']> {
  const parts = [data.train, data.val, data.test];
  const shape = Buffer.from(JSON.stringify({ inputShape: data.inputShape, n: parts.map((p) => p.n) }));
  const files = dataFiles(spec, baseDir).map((path) => ({ path, bytes: statSync(path).size, sha256: sha256(readFileSync(path)) }));
  return { sha256: sha256(shape, ...parts.flatMap((p) => [bytes(p.x), bytes(p.y)])), ...(files.length ? { files } : {}) };
}

/**
 * How the data a run recorded (`then`, its provenance) differs from the data as it loads now: the two
 * hashes, shortened, or undefined when they agree or nothing was recorded. A resumed run and a compress
 * child both refuse other data than their run trained on.
 */
export function dataChange(then: Provenance['data'] | undefined, now: NonNullable<Provenance['data']>): string | undefined {
  if (!then?.sha256 || then.sha256 === now.sha256) return undefined;
  return `SHA-256 ${then.sha256.slice(0, 12)} then, ${now.sha256.slice(0, 12)} now`;
}

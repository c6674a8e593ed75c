/** `hone unpack <model.hone | run> [--out DIR]`: the packed model as plain TF.js files (float32). */
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from '../core/errors';
import { defaultUnpackDir, packedFileOf, unpackToFolder } from '../core/compress/unpack';
import { print, warn } from './io';

/** The deepest path on the way to `dir` that exists (`dir` itself when it does). */
function nearestExisting(dir: string): string {
  let p = resolve(dir);
  while (!existsSync(p) && dirname(p) !== p) p = dirname(p);
  return p;
}

/** Refuses an output folder (`what`: `--out X`, or the default's words) where none can be made: a file is in the way (the path itself or a folder above it). */
function checkOut(dir: string, what: string): void {
  const found = nearestExisting(dir);
  if (existsSync(found) && !statSync(found).isDirectory()) {
    throw new InputError(`${what}: expected a folder for model.json and weights.bin (or a path where one can be made), found a file${found === resolve(dir) ? '' : ` (${found})`}`);
  }
}

export function unpackCommand(store: string, ref: string | undefined, out: string | undefined): number {
  if (!ref) throw new InputError('hone unpack: give a model.hone file or a compressed run');
  if (out) checkOut(out, `--out ${out}`);
  const file = packedFileOf(store, ref);
  if (!out) checkOut(defaultUnpackDir(file), `the default output folder ${defaultUnpackDir(file)} (give another with --out)`);
  const r = unpackToFolder(file, out);
  if (!r.checksummed) warn(`${file} is a version 1 packed model: it carries no checksum, so damage to its weights could not be detected`);
  print(`${file} -> ${r.dir}/model.json + weights.bin (${r.weights} float32 weights; tf.loadLayersModel loads it)`);
  return 0;
}

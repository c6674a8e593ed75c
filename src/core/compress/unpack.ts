/**
 * model.hone back to an ordinary TF.js model: model.json + weights.bin with float32 weights, which plain
 * tf.loadLayersModel loads; its predictions are those of the model that was packed (the format is exact).
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { InputError } from '../errors';
import { resolveRun } from '../store';
import { unpackModel } from '../../engine/compress/unpack';
import { tfjsFiles } from '../../engine/compress/tfjs-files';
import { PACKED_FILE } from './report';

/** The packed file `ref` names: a path to one, or a run (id, prefix, name) or folder that saved one. */
export function packedFileOf(storeDir: string, ref: string): string {
  if (existsSync(ref) && !existsSync(join(ref, PACKED_FILE))) {
    if (statSync(ref).isDirectory()) throw new InputError(`${ref}: a folder without ${PACKED_FILE}; expected a packed model file, or a compressed run's folder or id`);
    return resolve(ref);
  }
  let dir: string;
  try {
    dir = existsSync(join(ref, PACKED_FILE)) ? ref : resolveRun(storeDir, ref).dir;
  } catch (e) {
    throw new InputError(`${ref}: neither a packed model file nor a run (${(e as Error).message})`);
  }
  const file = join(dir, PACKED_FILE);
  if (!existsSync(file)) throw new InputError(`run ${ref} has no ${PACKED_FILE}: only compressed runs save one`);
  return resolve(file);
}

/**
 * Decodes `file` into `outDir` (model.json, weights.bin); returns the folder, the weight count, and whether
 * a checksum vouched for the weights (not in a version 1 file). A file that fails to decode writes nothing.
 */
/** Where `hone unpack` writes a packed model's TF.js files without --out: `model-unpacked/` beside it. */
export const defaultUnpackDir = (file: string): string => join(dirname(file), 'model-unpacked');

export function unpackToFolder(file: string, outDir = defaultUnpackDir(file)): { dir: string; weights: number; checksummed: boolean } {
  let model;
  try {
    model = unpackModel(readFileSync(file));
  } catch (e) {
    throw new InputError(`${file}: ${(e as Error).message}`);
  }
  const files = tfjsFiles(model, false);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'model.json'), files.json);
  writeFileSync(join(outDir, 'weights.bin'), files.bin);
  return { dir: resolve(outDir), weights: model.weights.reduce((a, w) => a + w.data.length, 0), checksummed: model.checksummed };
}

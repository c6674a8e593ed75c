/** `hone unpack <model.hone | run> [--out DIR]`: the packed model as plain TF.js files (float32). */
import { InputError } from '../core/errors';
import { packedFileOf, unpackToFolder } from '../core/compress/unpack';
import { print, warn } from './io';

export function unpackCommand(store: string, ref: string | undefined, out: string | undefined): number {
  if (!ref) throw new InputError('hone unpack: give a model.hone file or a compressed run');
  const file = packedFileOf(store, ref);
  const r = unpackToFolder(file, out);
  if (!r.checksummed) warn(`${file} is a version 1 packed model: it carries no checksum, so damage to its weights could not be detected`);
  print(`${file} -> ${r.dir}/model.json + weights.bin (${r.weights} float32 weights; tf.loadLayersModel loads it)`);
  return 0;
}

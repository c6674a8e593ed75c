import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Part } from './types';
import { readDataFile, snippet } from './read';

export const DIGITS_FILE = 'digits.csv.gz';

/**
 * Finds a file bundled in `media/data` by walking up from this module's folder: the source layout
 * (src/engine/data -> ../../../media/data) and the bundle (dist/worker.js -> ../media/data) both work.
 */
export function findBundledData(file: string, from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'media', 'data', file);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`bundled data file media/data/${file} not found above ${from}`);
  }
}

/**
 * The UCI optical digits (Alpaydin & Kaynak 1998; scikit-learn's copy): 1,797 images of 8x8 grey levels
 * 0..16, labels 0..9. x holds the raw values (no normalisation), row-major, 64 per image.
 */
export function loadDigits(file: string = findBundledData(DIGITS_FILE)): Part {
  const lines = readDataFile(file).toString('utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  const n = lines.length;
  const x = new Float32Array(n * 64);
  const y = new Float32Array(n);
  lines.forEach((line, i) => {
    const cells = line.split(',');
    if (cells.length !== 65) throw new Error(`${file}: line ${i + 1} has ${cells.length} values, expected 64 pixels and a label`);
    for (let j = 0; j < 65; j++) {
      const v = Number(cells[j]);
      if (cells[j].trim() === '' || !Number.isInteger(v) || v < 0 || v > (j < 64 ? 16 : 9)) throw new Error(`${file}: line ${i + 1}, value ${j + 1} is ${snippet(cells[j])}`);
      if (j < 64) x[i * 64 + j] = v;
      else y[i] = v;
    }
  });
  return { x, y, n };
}

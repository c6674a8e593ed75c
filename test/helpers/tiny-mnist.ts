// A folder with the four MNIST IDX files holding a few random images, so specs with data.source mnist
// validate and train in milliseconds on any machine (the real MNIST is not part of the repository).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { MNIST_FILES } from '../../src/core/spec';

const u32 = (...v: number[]): Buffer => {
  const b = Buffer.alloc(4 * v.length);
  v.forEach((x, i) => b.writeUInt32BE(x, 4 * i));
  return b;
};

/**
 * Writes `dir` with `train` and `test` 28x28 images (pixels and labels from a fixed pattern); returns `dir`.
 * `gzip` false writes the files uncompressed (`<name>` without .gz), which the loader also reads.
 */
export function writeTinyMnist(dir: string, train = 40, test = 20, gzip = true): string {
  mkdirSync(dir, { recursive: true });
  const images = (n: number) => Buffer.concat([u32(0x803, n, 28, 28), Buffer.from(Array.from({ length: n * 784 }, (_, i) => (i * 37) % 256))]);
  const labels = (n: number) => Buffer.concat([u32(0x801, n), Buffer.from(Array.from({ length: n }, (_, i) => i % 10))]);
  const [trainImages, trainLabels, testImages, testLabels] = MNIST_FILES;
  const write = (name: string, b: Buffer) => (gzip ? writeFileSync(join(dir, name), gzipSync(b)) : writeFileSync(join(dir, name.replace(/\.gz$/, '')), b));
  write(trainImages, images(train));
  write(trainLabels, labels(train));
  write(testImages, images(test));
  write(testLabels, labels(test));
  return dir;
}

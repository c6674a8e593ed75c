/** `hone data mnist [--dir DIR]`: makes sure MNIST is on this machine, downloading it only when asked. */
import { resolve } from 'node:path';
import { InputError } from '../core/errors';
import { fetchMnist, findMnist, MNIST_MIRRORS, mnistCopyIn, userMnistDir, type MnistCopy } from '../core/datasets';
import { print, warn } from './io';

/** What a verified folder holds, in the words `hone data mnist` prints after its path. */
const COPY_WORDS: Record<MnistCopy, string> = {
  lecun: "LeCun's files, checksums verified",
  clone: "the clone's copy, checksums verified; not LeCun's files: its images are inverted, see data/mnist/README.md",
};

export async function dataCommand(args: string[], dir: string | undefined): Promise<number> {
  if (args[0] !== 'mnist') throw new InputError(`hone data: expected 'mnist', found ${args[0] ?? 'nothing'}`);
  const present = dir === undefined ? findMnist() : undefined;
  const copy = present && mnistCopyIn(present);
  if (present && copy) return print(`MNIST is at ${present} (${COPY_WORDS[copy]})`), 0;
  const target = resolve(dir ?? userMnistDir());
  const mirrors = process.env.HONE_MNIST_MIRRORS?.split(',').filter(Boolean) ?? MNIST_MIRRORS;
  const got = await fetchMnist(target, { mirrors, log: (line) => warn(line) });
  print(`MNIST is at ${target} (${COPY_WORDS.lecun}${got.length ? `; downloaded ${got.join(', ')}` : ''})`);
  return 0;
}

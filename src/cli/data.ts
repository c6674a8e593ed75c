/** `hone data mnist [--dir DIR]`: makes sure MNIST is on this machine, downloading it only when asked. */
import { resolve } from 'node:path';
import { InputError } from '../core/errors';
import { badMnistFiles, fetchMnist, findMnist, MNIST_MIRRORS, userMnistDir } from '../core/datasets';
import { print, warn } from './io';

export async function dataCommand(args: string[], dir: string | undefined): Promise<number> {
  if (args[0] !== 'mnist') throw new InputError(`hone data: expected 'mnist', found ${args[0] ?? 'nothing'}`);
  const present = dir === undefined ? findMnist() : undefined;
  if (present && !badMnistFiles(present).length) return print(`MNIST is at ${present} (checksums verified)`), 0;
  const target = resolve(dir ?? userMnistDir());
  const mirrors = process.env.HONE_MNIST_MIRRORS?.split(',').filter(Boolean) ?? MNIST_MIRRORS;
  const got = await fetchMnist(target, { mirrors, log: (line) => warn(line) });
  print(`MNIST is at ${target} (checksums verified${got.length ? `; downloaded ${got.join(', ')}` : ''})`);
  return 0;
}

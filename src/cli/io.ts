/** What every CLI command shares: printing, warnings on stderr, and finding a run from a reference. */
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { InputError } from '../core/errors';
import { findRun as findStoredRun } from '../core/store';
import type { RunRecord } from '../core/store/types';
import { stringifyJson } from '../core/store/numbers';

export const print = (text: string): void => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
/** JSON as the store writes it: NaN and Infinity as the strings "NaN" and "Infinity" (JSON.stringify makes them null). */
export const json = (value: unknown): void => print(stringifyJson(value, 2));
export const warn = (text: string): void => void process.stderr.write(`hone: ${text}\n`);

/** A flag's text as given, quoted when blanks would hide in it. */
const given = (text: string): string => (/^\S+$/.test(text) ? text : JSON.stringify(text));

/**
 * `--points 60` -> 60; undefined when absent. Decimal digits only: Number() would also take `0x2`, `1e1`
 * and ` 2`, which no one means as a count.
 */
export function wholeNumber(option: string, text: string | undefined, expected = 'a whole number in decimal digits'): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new InputError(`${option}: expected ${expected}, found ${given(text)}`);
  return Number(text);
}

/** `--trials 20` -> 20; undefined when absent; InputError unless decimal digits making an integer from 1 to `max`. */
export function positiveInt(option: string, text: string | undefined, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const expected = max === Number.MAX_SAFE_INTEGER ? 'an integer >= 1' : `an integer from 1 to ${max}`;
  const n = wholeNumber(option, text, expected);
  if (n !== undefined && !(n >= 1 && n <= max)) throw new InputError(`${option}: expected ${expected}, found ${given(text!)}`);
  return n;
}

/**
 * The file `--out` names, absolute, once it is known to be writable there: a folder that does not exist, or
 * a folder given as the file, is bad input naming --out (the write would fail with a bare ENOENT or EISDIR).
 */
export function outFile(path: string): string {
  const file = resolve(path);
  const folder = dirname(file);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new InputError(`--out ${path}: there is no folder ${folder}`);
  if (existsSync(file) && statSync(file).isDirectory()) throw new InputError(`--out ${path}: that is a folder; give a file name`);
  return file;
}

/** A run by id, id prefix or name, with a stale `running` status already turned into `crashed`. */
export function findRun(store: string, ref: string | undefined): { record: RunRecord; dir: string } {
  if (!ref) throw new InputError('give a run id, id prefix or run name');
  return findStoredRun(store, ref);
}

/**
 * Asks a yes/no question on the terminal; without a terminal (a script, CI) there is nobody to ask, so
 * the action is refused with how to confirm it non-interactively.
 */
export async function confirm(question: string, flag: string): Promise<boolean> {
  if (!process.stdin.isTTY || !process.stderr.isTTY) throw new InputError(`${question} Not on a terminal: add ${flag} to confirm.`);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

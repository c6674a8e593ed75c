/**
 * The run's model folder replaced whole or not at all. A new model is written beside it (`.model-<pid>.tmp`),
 * the old one is renamed aside (`.model.<pid>.before`), the new one renamed in, and the old one deleted.
 * A process killed between the two renames leaves no `model/` but the old one aside; the next process that
 * owns the run folder (a resume) puts it back, and clears what killed saves left (`recoverModel`).
 */
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MODEL_DIR } from './paths';

const TMP = /^\.model-(\d+)\.tmp$/;
const BEFORE = /^\.model\.(\d+)\.before$/;

/** Where a model being saved by this process is written first. */
export const modelTmpOf = (runDir: string): string => join(runDir, `.model-${process.pid}.tmp`);

/** Puts the folder written at `modelTmpOf(runDir)` in place of `model/`. */
export function swapInModel(runDir: string): void {
  const dest = join(runDir, MODEL_DIR);
  const aside = join(runDir, `.model.${process.pid}.before`);
  rmSync(aside, { recursive: true, force: true });
  if (existsSync(dest)) renameSync(dest, aside);
  renameSync(modelTmpOf(runDir), dest);
  rmSync(aside, { recursive: true, force: true });
}

/**
 * What saves killed by other processes left in `runDir`: a `model/` set aside and never replaced is put
 * back (the newest, if several), and half-written or set-aside folders are deleted. Returns what it did,
 * for the run's log.
 */
export function recoverModel(runDir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(runDir);
  } catch {
    return [];
  }
  const theirs = (re: RegExp) => names.filter((n) => re.test(n) && Number(re.exec(n)![1]) !== process.pid);
  const done: string[] = [];
  const aside = theirs(BEFORE).sort((a, b) => statSync(join(runDir, b)).mtimeMs - statSync(join(runDir, a)).mtimeMs);
  if (aside.length && !existsSync(join(runDir, MODEL_DIR))) {
    renameSync(join(runDir, aside.shift()!), join(runDir, MODEL_DIR));
    done.push('the model a killed save had set aside was put back in model/');
  }
  for (const n of [...aside, ...theirs(TMP)]) {
    rmSync(join(runDir, n), { recursive: true, force: true });
    done.push(`${n}, left by a killed save, was removed`);
  }
  return done;
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh empty folder under the OS temp dir. */
export function makeTmpDir(prefix = 'hone-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Deletes a folder made by `makeTmpDir`, whatever it holds. */
export function removeTmpDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

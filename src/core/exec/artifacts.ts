import { cpSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { relativeInside } from '../store/fs-util';

/** The folder of a run that holds copies of the files its command saved (`{"artifact": path}`). */
export const ARTIFACTS_DIR = 'artifacts';
/** One artifact (a file, or a folder counted whole) larger than this is not copied: it is left in place. */
export const ARTIFACT_MAX_BYTES = 256 * 1024 * 1024;
/** All of a run's artifacts together: once copies reach this, later ones are left in place. */
export const ARTIFACTS_TOTAL_BYTES = 1024 * 1024 * 1024;

/** What became of one artifact: copied as `name`, or why not. */
export interface ArtifactOutcome {
  path: string;
  name?: string;
  bytes?: number;
  problem?: string;
}

const size = (bytes: number) => (bytes % 2 ** 20 === 0 ? `${bytes / 2 ** 20} MiB` : `${bytes} bytes`);

/** Bytes under `path` (a file's size, a folder's files summed), giving up once past `limit`. */
function sizeOf(path: string, limit: number): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.size;
  let total = 0;
  for (const name of readdirSync(path)) {
    total += sizeOf(join(path, name), limit - total);
    if (total > limit) break;
  }
  return total;
}

/** `name`, or `stem-2.ext`, `stem-3.ext`... : the first not yet in `dir`. */
function freeName(dir: string, name: string): string {
  const ext = extname(name);
  const stem = name.slice(0, name.length - ext.length);
  let candidate = name;
  for (let i = 2; existsSync(join(dir, candidate)); i++) candidate = `${stem}-${i}${ext}`;
  return candidate;
}

/**
 * Copies each artifact (relative paths against `cwd`) into `<runDir>/artifacts/`, under its base name
 * (made unique). Missing files, files over the caps and failed copies are reported, never thrown.
 */
export function copyArtifacts(runDir: string, cwd: string, paths: string[], caps = { each: ARTIFACT_MAX_BYTES, total: ARTIFACTS_TOTAL_BYTES }): ArtifactOutcome[] {
  const dir = join(runDir, ARTIFACTS_DIR);
  let total = 0;
  // The same file named twice (`a.txt`, `./a.txt`, its absolute path, as hone.save sends it) is copied once.
  const once = paths.filter((p, i) => paths.findIndex((q) => resolve(cwd, q) === resolve(cwd, p)) === i);
  return once.map((path): ArtifactOutcome => {
    const src = resolve(cwd, path);
    // A file already in the artifacts folder (hone.save into it) is kept where it is.
    const inside = relativeInside(dir, src);
    if (inside) return { path, name: inside };
    try {
      const bytes = sizeOf(src, caps.each);
      if (bytes > caps.each) return { path, problem: `over the ${size(caps.each)} limit for one artifact: left in place` };
      if (total + bytes > caps.total) return { path, problem: `over the ${size(caps.total)} limit for a run's artifacts: left in place` };
      mkdirSync(dir, { recursive: true });
      const name = freeName(dir, basename(src));
      cpSync(src, join(dir, name), { recursive: true, dereference: true });
      total += bytes;
      return { path, name, bytes };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return { path, problem: code === 'ENOENT' ? 'not found' : (e as Error).message };
    }
  });
}

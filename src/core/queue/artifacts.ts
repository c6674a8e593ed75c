/**
 * A finished run's files as they travel back from an agent: each checksummed (sha256), the whole bounded
 * in size. The coordinator verifies every file before writing it into the local run folder, and accepts
 * only plain relative paths inside it.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';
import { LOG_FILE, METRICS_FILE, MODEL_DIR } from '../store/paths';
import { ARTIFACTS_DIR } from '../exec/artifacts';
import type { Artifact } from './job';

/** What an agent sends back of a run folder: metrics, log, system samples, the saved model, an exec run's artifacts. */
const SENT = [METRICS_FILE, LOG_FILE, 'system.jsonl', MODEL_DIR, 'model.hone', ARTIFACTS_DIR];

/** Default bound on a job's files together (`hone agent --max-artifact-mb`). */
export const ARTIFACT_LIMIT_BYTES = 64 * 1024 * 1024;

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function filesUnder(root: string, rel: string): string[] {
  const abs = join(root, rel);
  if (!existsSync(abs)) return [];
  if (!statSync(abs).isDirectory()) return [rel];
  return readdirSync(abs).sort().flatMap((name) => filesUnder(root, join(rel, name)));
}

/** The run folder's files to send; throws when together they exceed `limit` bytes. */
export function packArtifacts(runDir: string, limit = ARTIFACT_LIMIT_BYTES): Artifact[] {
  const paths = SENT.flatMap((p) => filesUnder(runDir, p));
  const total = paths.reduce((n, p) => n + statSync(join(runDir, p)).size, 0);
  if (total > limit) throw new Error(`the run's files are ${total} bytes, over this agent's limit of ${limit} bytes (--max-artifact-mb)`);
  return paths.map((path) => {
    const b = readFileSync(join(runDir, path));
    return { path: path.split(sep).join('/'), bytes: b.length, sha256: sha256(b), base64: b.toString('base64') };
  });
}

/** Checks every artifact (path, size, checksum, total) and only then writes them all into `runDir`. */
export function unpackArtifacts(runDir: string, files: Artifact[], limit = ARTIFACT_LIMIT_BYTES): void {
  let total = 0;
  const checked = files.map((f, i) => {
    const where = `files[${i}] (${String(f.path).slice(0, 80)})`;
    const path = normalize(String(f.path));
    const top = path.split(sep)[0];
    if (path.startsWith('..') || path.startsWith(sep) || !SENT.includes(top)) throw new Error(`${where}: not a run file Hone accepts from an agent`);
    const b = Buffer.from(String(f.base64), 'base64');
    total += b.length;
    if (b.length !== f.bytes) throw new Error(`${where}: ${b.length} bytes arrived, ${f.bytes} were sent`);
    if (sha256(b) !== f.sha256) throw new Error(`${where}: checksum mismatch (sha256 ${sha256(b)}, sent ${f.sha256})`);
    if (total > limit) throw new Error(`the job's files exceed ${limit} bytes`);
    return { path, b };
  });
  for (const { path, b } of checked) {
    mkdirSync(dirname(join(runDir, path)), { recursive: true });
    writeFileSync(join(runDir, path), b);
  }
}

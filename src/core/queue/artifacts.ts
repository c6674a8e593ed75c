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
import { InputError } from '../errors';
import type { Artifact } from './job';

/** What an agent sends back of a run folder: metrics, log, system samples, the saved model, an exec run's artifacts. */
const SENT = [METRICS_FILE, LOG_FILE, 'system.jsonl', MODEL_DIR, 'model.hone', ARTIFACTS_DIR];

/** Default bound on a job's files together: an agent's (`hone agent --max-artifact-mb`) and a coordinator's. */
export const ARTIFACT_LIMIT_BYTES = 64 * 1024 * 1024;

export const ARTIFACT_LIMIT_ENV = 'HONE_MAX_ARTIFACT_MB';

/**
 * The most a coordinator (`hone run|sweep|exec --queue`, the extension) accepts of one job's files:
 * $HONE_MAX_ARTIFACT_MB megabytes, else the default. Each job carries it, so an agent with a larger limit
 * of its own refuses a run's files by this one, and says so, instead of sending what would be refused here.
 */
export function coordinatorArtifactLimit(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[ARTIFACT_LIMIT_ENV];
  if (raw === undefined || raw === '') return ARTIFACT_LIMIT_BYTES;
  const mb = Number(raw);
  if (!Number.isFinite(mb) || mb <= 0) throw new InputError(`${ARTIFACT_LIMIT_ENV}: expected a number of megabytes > 0, found '${raw.slice(0, 40)}'`);
  return Math.floor(mb * 1024 * 1024);
}

/** An agent's bound on a job's files: its own, or the coordinator's the job carries when that is smaller. */
export function jobArtifactLimit(own: number, job: number | undefined): { limit: number; whose: string } {
  return job !== undefined && job < own
    ? { limit: job, whose: `the coordinator's limit of ${job} bytes (${ARTIFACT_LIMIT_ENV} where the run was started)` }
    : { limit: own, whose: `this agent's limit of ${own} bytes (--max-artifact-mb)` };
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function filesUnder(root: string, rel: string): string[] {
  const abs = join(root, rel);
  if (!existsSync(abs)) return [];
  if (!statSync(abs).isDirectory()) return [rel];
  return readdirSync(abs).sort().flatMap((name) => filesUnder(root, join(rel, name)));
}

/** The run folder's files to send; throws when together they exceed `bound.limit` bytes. */
export function packArtifacts(runDir: string, bound = jobArtifactLimit(ARTIFACT_LIMIT_BYTES, undefined)): Artifact[] {
  const paths = SENT.flatMap((p) => filesUnder(runDir, p));
  const total = paths.reduce((n, p) => n + statSync(join(runDir, p)).size, 0);
  if (total > bound.limit) throw new Error(`the run's files are ${total} bytes, over ${bound.whose}`);
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
    if (total > limit) throw new Error(`the job's files exceed ${limit} bytes (${ARTIFACT_LIMIT_ENV} on this machine)`);
    return { path, b };
  });
  for (const { path, b } of checked) {
    mkdirSync(dirname(join(runDir, path)), { recursive: true });
    writeFileSync(join(runDir, path), b);
  }
}

/**
 * A user's annotations of a run: tags, a free-text note, a star. They live in `runs/<id>/meta.json`, not
 * in run.json: run.json has one writer (the run's worker while it lives), and a tag may be added to a
 * run that is training. Edits are serialised by a per-run lock and written atomically; readers merge
 * meta.json into the record (`loadRunRecord`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { atomicWriteFileSync } from './fs-util';
import { withLock } from './lock';
import { runDirOf } from './paths';
import type { RunRecord } from './types';

export const META_FILE = 'meta.json';
const META_LOCK = '.meta.lock';

export type Annotations = Pick<RunRecord, 'tags' | 'note' | 'starred'>;

export interface AnnotationEdit {
  addTags?: string[];
  removeTags?: string[];
  /** A note replaces the one before; '' removes it. */
  note?: string;
  starred?: boolean;
}

const MAX_TAG = 100;
const MAX_NOTE = 10_000;

/** Why a tag cannot be used, or undefined. Any printable text works; the filter syntax quotes what it must. */
export function tagProblem(tag: string): string | undefined {
  if (tag.length === 0 || tag.length > MAX_TAG) return `a tag of 1 to ${MAX_TAG} characters, found ${tag.length}`;
  if (/[\u0000-\u001f\u007f-\u009f]/.test(tag)) return 'a tag without control characters';
  if (tag.trim() !== tag) return 'a tag without leading or trailing spaces';
  return undefined;
}

/** The annotations in `runDir`, {} when there are none (or meta.json is unreadable: they are optional). */
export function readAnnotations(runDir: string): Annotations {
  try {
    const raw = JSON.parse(readFileSync(join(runDir, META_FILE), 'utf8')) as Record<string, unknown>;
    const out: Annotations = {};
    if (Array.isArray(raw.tags)) out.tags = raw.tags.filter((t): t is string => typeof t === 'string');
    if (typeof raw.note === 'string' && raw.note) out.note = raw.note;
    if (raw.starred === true) out.starred = true;
    return out;
  } catch {
    return {};
  }
}

/** Applies `edit` to run `id`'s annotations and returns them. Throws for a bad tag or an over-long note. */
export async function annotateRun(storeDir: string, id: string, edit: AnnotationEdit): Promise<Annotations> {
  for (const t of [...(edit.addTags ?? []), ...(edit.removeTags ?? [])]) {
    const problem = tagProblem(t);
    if (problem) throw new Error(`tag ${JSON.stringify(t.slice(0, MAX_TAG))}: expected ${problem}`);
  }
  if (edit.note !== undefined && edit.note.length > MAX_NOTE) throw new Error(`note: expected at most ${MAX_NOTE} characters, found ${edit.note.length}`);
  const dir = runDirOf(storeDir, id);
  // A run deleted since it was picked (another window, `hone rm`): say so rather than the lock's bare ENOENT.
  if (!existsSync(dir)) throw new Error(`run ${id} no longer exists: deleted since it was chosen`);
  return withLock(join(dir, META_LOCK), async () => {
    const now = readAnnotations(dir);
    const tags = new Set(now.tags ?? []);
    edit.addTags?.forEach((t) => tags.add(t));
    edit.removeTags?.forEach((t) => tags.delete(t));
    const next: Annotations = {};
    if (tags.size) next.tags = [...tags];
    const note = edit.note ?? now.note;
    if (note) next.note = note;
    if (edit.starred ?? now.starred) next.starred = true;
    atomicWriteFileSync(join(dir, META_FILE), JSON.stringify(next, null, 2) + '\n');
    return next;
  });
}

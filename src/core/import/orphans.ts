import type { ScalarPoint } from './logdir';

/**
 * A run's scalars as they are read, with TensorBoard's purge of orphaned data (event_accumulator.py,
 * `_MaybePurgeOrphanedData`): training restarted from a checkpoint, or a script run again into the same
 * folder, writes steps that an earlier attempt wrote already, and the earlier attempt's points from that
 * step on are no longer the run's history. Two signs of it, as in TensorBoard:
 *  - a `SessionLog` START at step S (TF1 writes one whenever a session starts): every tag's points at
 *    step >= S are dropped;
 *  - a tag's step going back to S (PyTorch and TF2 write no START): that tag's points at step >= S are
 *    dropped. TensorBoard applies this rule only to files without a version 2 header, and otherwise draws
 *    the line doubling back; one metric line per step cannot hold that, so it is applied to every file.
 * A point at the same step as its tag's last one replaces it, as before (not counted as a purge).
 */
export interface Scalars {
  /** Each tag's points, in strictly increasing step order. */
  byTag: Map<string, ScalarPoint[]>;
  /** Points held, over all tags. */
  size: number;
  purges: Purge[];
}

/** One purge: what caused it, where, and how many points it dropped. Consecutive ones alike are merged. */
export interface Purge {
  file: string;
  cause: 'restart' | 'back';
  /** The START's step, or the step a tag went back to. */
  step: number;
  /** The highest step dropped. */
  upTo: number;
  dropped: number;
  /** The tags that went back (cause 'back'). */
  tags: string[];
}

export const newScalars = (): Scalars => ({ byTag: new Map(), size: 0, purges: [] });

/** Drops `points`' tail at step >= `step` (they are in step order); returns how many and the highest step dropped. */
function dropFrom(points: ScalarPoint[], step: number): { dropped: number; upTo: number } {
  const upTo = points.at(-1)?.step ?? -Infinity;
  let keep = points.length;
  while (keep > 0 && points[keep - 1].step >= step) keep--;
  const dropped = points.length - keep;
  points.length = keep;
  return { dropped, upTo };
}

function record(s: Scalars, p: Purge): void {
  s.size -= p.dropped;
  const prev = s.purges.at(-1);
  if (prev && prev.file === p.file && prev.cause === p.cause && prev.step === p.step) {
    prev.dropped += p.dropped;
    prev.upTo = Math.max(prev.upTo, p.upTo);
    for (const t of p.tags) if (!prev.tags.includes(t)) prev.tags.push(t);
  } else s.purges.push(p);
}

/** Adds a point read from `file` (relative to the logdir): a step that went back purges its tag first. */
export function addPoint(s: Scalars, p: ScalarPoint, file: string): void {
  let points = s.byTag.get(p.tag);
  if (!points) s.byTag.set(p.tag, (points = []));
  const last = points.at(-1);
  if (last && last.step === p.step) {
    points[points.length - 1] = p;
    return;
  }
  if (last && p.step < last.step) record(s, { file, cause: 'back', step: p.step, ...dropFrom(points, p.step), tags: [p.tag] });
  points.push(p);
  s.size += 1;
}

/** A SessionLog START at `step` read from `file`: every tag's points at step >= `step` are dropped. */
export function restartAt(s: Scalars, step: number, file: string): void {
  let dropped = 0;
  let upTo = -Infinity;
  for (const points of s.byTag.values()) {
    const d = dropFrom(points, step);
    dropped += d.dropped;
    if (d.dropped) upTo = Math.max(upTo, d.upTo);
  }
  if (dropped) record(s, { file, cause: 'restart', step, upTo, dropped, tags: [] });
}

/** All points held, tag by tag. */
export const pointsOf = (s: Scalars): ScalarPoint[] => [...s.byTag.values()].flat();

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const MAX_NOTES = 5;

function note(p: Purge): string {
  const dropped = `dropped ${plural(p.dropped, 'earlier point')}`;
  if (p.cause === 'restart') return `${p.file}: restart at step ${p.step}: ${dropped} at steps ${p.step} to ${p.upTo}`;
  const tags = p.tags.length > 3 ? `${p.tags.slice(0, 3).join(', ')} and ${plural(p.tags.length - 3, 'more tag')}` : p.tags.join(', ');
  return `${p.file}: steps went back to ${p.step} (from ${p.upTo}) for ${tags}: ${dropped}`;
}

/** One line per purge, for the run's log and message; past five, one line sums up the rest. */
export function purgeNotes(purges: Purge[]): string[] {
  const shown = purges.slice(0, MAX_NOTES).map(note);
  const rest = purges.slice(MAX_NOTES);
  if (!rest.length) return shown;
  const dropped = rest.reduce((n, p) => n + p.dropped, 0);
  return [...shown, `and ${plural(rest.length, 'more restart or step reset')}: dropped ${plural(dropped, 'earlier point')}`];
}

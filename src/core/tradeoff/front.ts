/**
 * The non-dominated front over any number of objectives, each with its direction from the metric registry
 * (or from a sweep that declared it). The sorting is the sweep's own (`frontRanks`, Deb et al. 2002's fast
 * non-dominated sort): a run with every objective is ranked, one that lacks any is left out of the ranking
 * and says which it lacks; it is never ranked as if the value were 0.
 */
import { betterOf, type Better } from '../metrics/registry';
import { frontRanks, toLosses } from '../sweep/objectives';
import type { RunValues } from './values';

export interface Objective {
  metric: string;
  better: Better;
}

/**
 * Objectives for `metrics`: a direction the sweep declared (`declared`), else the registry's. A metric with
 * neither has no "better" and cannot be an objective: it is in `unknown`, not in `objectives`.
 */
export function objectivesOf(metrics: readonly string[], declared: Readonly<Record<string, Better>> = {}): { objectives: Objective[]; unknown: string[] } {
  const objectives: Objective[] = [];
  const unknown: string[] = [];
  for (const metric of new Set(metrics)) {
    const better = declared[metric] ?? betterOf(metric);
    if (better) objectives.push({ metric, better });
    else unknown.push(metric);
  }
  return { objectives, unknown };
}

export interface Front {
  /** Ids on the non-dominated front, in the input order. */
  front: string[];
  /** Front rank of every ranked id: 0 for the front, 1 for the front once that is removed, ... */
  rank: Record<string, number>;
  /** Ids left out of the ranking, with the objectives each lacks. */
  missing: { id: string; metrics: string[] }[];
}

export function paretoFront(points: readonly RunValues[], objectives: readonly Objective[]): Front {
  const missing: Front['missing'] = [];
  const ranked: RunValues[] = [];
  for (const p of points) {
    const lacks = objectives.filter((o) => !(o.metric in p.values)).map((o) => o.metric);
    if (lacks.length) missing.push({ id: p.id, metrics: lacks });
    else ranked.push(p);
  }
  if (!objectives.length) return { front: [], rank: {}, missing };
  const directions = objectives.map((o) => (o.better === 'max' ? 'maximize' as const : 'minimize' as const));
  const ranks = frontRanks(ranked.map((p) => toLosses(objectives.map((o) => p.values[o.metric]), directions)));
  const rank = Object.fromEntries(ranked.map((p, i) => [p.id, ranks[i]]));
  return { front: ranked.filter((_, i) => ranks[i] === 0).map((p) => p.id), rank, missing };
}

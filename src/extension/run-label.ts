/** How a run's row in the Runs tree is labelled: pure, no vscode import (tree-model.ts uses these). */
import { lastSegment } from '../core/dashboard/present';

/** `train.lr=0.01` -> `lr=0.01`: an override by the last segment of its path (the whole one is in the tooltip). */
export const shortOverride = (o: string): string => {
  const eq = o.indexOf('=');
  return eq < 0 ? o : `${lastSegment(o.slice(0, eq))}=${o.slice(eq + 1)}`;
};

const pad = (n: number) => String(n).padStart(2, '0');
/** `14:03:22` today, else `Nov 28 14:03`: what tells apart runs of one experiment that have no overrides. */
export function shortTime(iso: string, now = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  if (d.toDateString() === now.toDateString()) return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return `${d.toLocaleString('en', { month: 'short' })} ${d.getDate()} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * A run made from another, nested under it, is labelled by what was done to its parent's model: `prune
 * 0.8 polynomial` for `<parent> > prune 0.8 polynomial`, `attack eps=0.1` for `<parent> [attack eps=0.1]`
 * (the names `hone compress` and `hone attack` give); undefined for other names.
 */
export function derivedLabel(name: string, parentName: string | undefined): string | undefined {
  if (!parentName || !name.startsWith(parentName)) return undefined;
  const rest = name.slice(parentName.length).trim().replace(/^>\s*/, '').replace(/^\[(.*)\]$/, '$1');
  return rest || undefined;
}


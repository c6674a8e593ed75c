/** "Did you mean" for property names and enum values: the closest candidate by edit distance. */

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}

/** Names longer than this get no suggestion: the distance costs length^2, and such names are not typos. */
const MAX_WORD = 64;

/**
 * The candidate nearest to `word`, if close enough to be a likely typo: case-insensitive distance
 * at most a third of the longer word (at least 1), so `lrr` -> `lr` but `learningRate` -> nothing.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  if (word.length > MAX_WORD) return undefined;
  let best: string | undefined;
  let bestDist = Infinity;
  for (const c of candidates) {
    if (c.length > MAX_WORD) continue;
    const d = levenshtein(word.toLowerCase(), c.toLowerCase());
    if (d < bestDist) [best, bestDist] = [c, d];
  }
  const limit = Math.max(1, Math.floor(Math.max(word.length, best?.length ?? 0) / 3));
  return bestDist <= limit ? best : undefined;
}

/** ` (did you mean 'lr'?)`, or the empty string when nothing is close. */
export function didYouMean(word: unknown, candidates: readonly string[]): string {
  if (typeof word !== 'string') return '';
  const c = closest(word, candidates);
  if (c === undefined || c === word) return '';
  return ` (did you mean '${c.length <= 60 ? c : `${c.slice(0, 57)}...`}'?)`;
}

// Whether the queue's backlog grew over the 16-agent run: the verdict printed beside the samples.

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/**
 * The waiting-jobs line from samples taken each second: the mean of each half and the max, then the verdict.
 * The backlog grew when the second half waited on more than one job more than the first on average (a job or
 * so comes and goes as agents take the next one); with under 4 samples there are too few halves to tell.
 */
export function backlogLine(samples: number[]): string {
  if (samples.length < 4) return `Waiting jobs, sampled each second: ${samples.length} sample${samples.length === 1 ? '' : 's'}, too few to tell whether the backlog grew.`;
  const half = Math.floor(samples.length / 2);
  const [first, second] = [mean(samples.slice(0, half)), mean(samples.slice(half))];
  const verdict = second - first > 1 ? `**it grew**: the coordinator falls behind` : 'no growth: the coordinator keeps up';
  return `Waiting jobs, sampled each second: mean ${first.toFixed(1)} in the first half, ${second.toFixed(1)} in the second, max ${Math.max(...samples)} (${verdict}).`;
}

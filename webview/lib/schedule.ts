/**
 * Calls `fn` at most once per `ms` (leading and trailing): live updates arrive as fast as epochs end,
 * the page redraws at most 10 times a second. `fn` is given the time (performance.now()) the throttle
 * spaces its calls by: a stamp of its own, taken a few statements later, could land a pause later and
 * put two calls under `ms` apart.
 */
export function throttle(fn: (at: number) => void, ms = 100): () => void {
  let last = -Infinity;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = () => {
    timer = undefined;
    last = performance.now();
    fn(last);
  };
  return () => {
    if (timer !== undefined) return;
    // Rounded up: a timer's delay is taken in whole milliseconds, and a fraction cut off let redraws
    // start 99.x ms apart (seen under load in the dashboard-live test).
    timer = setTimeout(run, Math.max(0, Math.ceil(last + ms - performance.now())));
  };
}

/** Resolves after the browser has painted the current frame. */
export const afterPaint = (): Promise<void> => new Promise((r) => requestAnimationFrame(() => setTimeout(r)));

/**
 * Calls `fn` at most once per `ms` (leading and trailing): live updates arrive as fast as epochs end,
 * the page redraws at most 10 times a second.
 */
export function throttle(fn: () => void, ms = 100): () => void {
  let last = -Infinity;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = () => {
    timer = undefined;
    last = performance.now();
    fn();
  };
  return () => {
    if (timer !== undefined) return;
    timer = setTimeout(run, Math.max(0, last + ms - performance.now()));
  };
}

/** Resolves after the browser has painted the current frame. */
export const afterPaint = (): Promise<void> => new Promise((r) => requestAnimationFrame(() => setTimeout(r)));

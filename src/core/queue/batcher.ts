/**
 * Items handed on in batches: the first at once, then at most one batch every `ms` (a fast run's epoch
 * lines, which would otherwise cost a Redis write, an event and a run.json rewrite each).
 */
export interface Batcher<T> {
  push(item: T): void;
  /** Hands on what is waiting now (at the end of a run). */
  flush(): void;
}

export function batcher<T>(send: (items: T[]) => void, ms: number): Batcher<T> {
  let items: T[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last = -Infinity;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (!items.length) return;
    last = Date.now();
    const out = items;
    items = [];
    send(out);
  };
  // A timer may fire a millisecond early by the clock: it waits again for the rest rather than send early.
  const due = () => {
    const wait = last + ms - Date.now();
    if (wait <= 0) flush();
    else timer = setTimeout(due, wait);
  };
  return {
    push(item) {
      items.push(item);
      if (!timer) due();
    },
    flush,
  };
}

/**
 * `fn` wrapped so that its runs never overlap: a call while one runs is answered by one more run after
 * it, shared by every call made meanwhile (a run that started since covers them as well). Two
 * overlapping re-reads of the store could otherwise finish in the other order and leave the older one
 * drawn. No vscode here: tested in plain Node.
 */
export function serialized(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  let next: Promise<void> | undefined;
  const run = () => (running ??= fn().finally(() => (running = undefined)));
  return () => {
    if (!running) return run();
    return (next ??= running.catch(() => undefined).then(() => {
      next = undefined;
      return run();
    }));
  };
}

/**
 * Whether the worker was asked to stop: SIGTERM or SIGINT (from `hone stop` on this machine, the
 * extension, a terminal's Ctrl-C) or a `stop` file in the run folder (from any machine sharing the store).
 * The signal handlers are installed by the worker's entry before TF.js loads, so a stop that arrives in
 * the first fraction of a second is a stop, not a crash.
 */
let requested = false;

export const stopRequested = (): boolean => requested;

export function requestStop(): void {
  requested = true;
}

export function installStopHandlers(): void {
  process.on('SIGTERM', requestStop).on('SIGINT', requestStop);
}

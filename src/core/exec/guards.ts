/**
 * Two guards of the exec supervisor (supervisor.ts) around its command: flow control of the command's
 * output, and a watchdog that stops the command should the supervisor die without ending the run.
 */
import { spawn } from 'node:child_process';
import { EXEC_FLOW_ENV, EXEC_FLOW_WINDOW, EXEC_STOP_GRACE_MS } from './index';

/**
 * A watchdog for the command's process group `pgid`: a shell, in a process group of its own, blocked
 * reading a pipe from this process. Should the supervisor die without ending the run (SIGKILL, an OOM
 * kill), the pipe closes, and the watchdog stops the command as a stop request would: SIGTERM to its
 * group, SIGKILL after the grace. Nothing polls. `dismiss()` ends it once the run is over.
 */
export function watchdog(pgid: number): { dismiss(): void } {
  if (process.platform === 'win32') return { dismiss: () => undefined };
  const grace = Math.ceil(EXEC_STOP_GRACE_MS / 1000);
  const script = `read _; kill -TERM -$0 2>/dev/null || exit 0; sleep ${grace}; kill -KILL -$0 2>/dev/null`;
  const dog = spawn('/bin/sh', ['-c', script, String(pgid)], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
  dog.on('error', () => undefined);
  dog.unref();
  (dog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  return { dismiss: () => void dog.kill('SIGKILL') };
}

/**
 * Flow control of the command's output (EXEC_FLOW_ENV): its pipes pause while the parent has more
 * than EXEC_FLOW_WINDOW bytes unacknowledged, and read on once it is down to a quarter of that, or
 * gone, or once `release()` (the command has ended: the rest is read at once, into log.txt).
 */
export function outputFlow(pipes: NodeJS.ReadableStream[]): { sent(bytes: number): void; release(): void } {
  let unconsumed = 0;
  let on = process.env[EXEC_FLOW_ENV] === '1' && process.connected;
  const resume = () => pipes.forEach((p) => p.resume());
  process.on('message', (m: { type?: string; bytes?: number }) => {
    if (m?.type !== 'consumed' || typeof m.bytes !== 'number') return;
    unconsumed -= m.bytes;
    if (unconsumed <= EXEC_FLOW_WINDOW / 4) resume();
  });
  process.on('disconnect', () => ((on = false), resume()));
  return {
    sent: (bytes) => {
      unconsumed += bytes;
      if (on && unconsumed > EXEC_FLOW_WINDOW) pipes.forEach((p) => p.pause());
    },
    release: () => ((on = false), resume()),
  };
}

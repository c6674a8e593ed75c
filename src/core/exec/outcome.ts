import type { RunStatus } from '../store/types';

/** How a command ended: it could not be started (`error`), or it exited with a code or by a signal. */
export type CommandEnd = { error: NodeJS.ErrnoException } | { code: number | null; signal: NodeJS.Signals | null };

/**
 * The status and message of an exec run from how its command ended. A stop Hone asked for wins over
 * whatever the command did with it (a handled SIGTERM that exits 0, the SIGKILL after the grace period);
 * otherwise exit 0 is completed, another code failed, a signal crashed, and a command that could not be
 * started failed, saying why. Malformed protocol lines, and rewrites of the protocol file (which may have
 * lost lines: see ProtocolTail), are counted at the end of the message.
 */
export function execOutcome(end: CommandEnd, program: string, stopped: string | undefined, skipped: number, rewrites = 0): { status: RunStatus; message: string } {
  const o = ((): { status: RunStatus; message: string } => {
    if ('error' in end) {
      const why = end.error.code === 'ENOENT' ? 'command not found' : end.error.code === 'EACCES' ? 'permission denied' : `could not start (${end.error.message})`;
      return { status: 'failed', message: `${why}: ${program}` };
    }
    const how = end.signal ? `killed by ${end.signal}` : `exited with code ${end.code}`;
    if (stopped) return { status: 'stopped', message: `${stopped}; the command ${end.signal ? 'was ' : ''}${how}` };
    if (end.signal) return { status: 'crashed', message: how };
    return { status: end.code === 0 ? 'completed' : 'failed', message: how };
  })();
  const notes = [
    ...(skipped ? [`protocol: skipped ${skipped} malformed line${skipped === 1 ? '' : 's'}`] : []),
    ...(rewrites ? [`protocol: the file was rewritten ${rewrites === 1 ? 'once' : `${rewrites} times`}, not appended to: lines may be lost`] : []),
  ];
  return notes.length ? { ...o, message: [o.message, ...notes].join('; ') } : o;
}

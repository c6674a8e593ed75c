import { readdirSync, readFileSync } from 'node:fs';

/** Field 4 of /proc/<pid>/stat (the parent pid); the command name in field 2 may hold spaces. */
const parentOf = (pid: string): number => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]);

/**
 * How many live processes run the same script as this one and share its parent: the other workers
 * a launcher (`hone run --parallel`, a sweep, the extension) has started and that still run, plus
 * this one. Linux only (it reads /proc); elsewhere, or when /proc cannot be read, 1.
 */
export function liveSiblings(): number {
  if (process.platform !== 'linux') return 1;
  try {
    const script = process.argv[1];
    let n = 0;
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        if (parentOf(pid) !== process.ppid) continue;
        const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        if (argv[1] === script) n++;
      } catch {
        // the process ended while we looked
      }
    }
    return Math.max(1, n);
  } catch {
    return 1;
  }
}

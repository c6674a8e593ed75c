import { readdirSync, readFileSync } from 'node:fs';

/**
 * How many live processes on this machine run the same script as this one, this one included: the
 * Hone workers of this installation, whoever started them (`hone run --parallel`, a sweep, the
 * extension in any window). Linux only (it reads /proc); elsewhere, or when /proc cannot be read, 1.
 * Workers that start together see each other: each reads /proc once TF.js has loaded, a few hundred
 * milliseconds after its launcher started them all.
 */
export function liveWorkers(): number {
  if (process.platform !== 'linux') return 1;
  try {
    // This process's command line up to its script: node, its options, the script as it was given.
    const own = readFileSync('/proc/self/cmdline', 'utf8').split('\0');
    const prefix = own.slice(0, own.length - 1 - (process.argv.length - 2)).join('\0') + '\0';
    let n = 0;
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith(prefix)) n++;
      } catch {
        // the process ended while we looked
      }
    }
    return Math.max(1, n);
  } catch {
    return 1;
  }
}

// A private mount namespace for tests that need a disk that fills up or turns read-only: a real tmpfs
// of a given size mounted over a folder, seen only by the processes the test runs inside the namespace
// (`unshare -rm`: root in a new user namespace, so it works for root and ordinary users alike; nothing
// on the host is mounted or changed). Commands enter it with nsenter.
import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
import { readlinkSync } from 'node:fs';

const sleepMs = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

export class MountNamespace {
  private constructor(private readonly holder: ChildProcess) {}

  /** Starts the namespace (a `sleep` holding it open). Throws, saying why, where namespaces cannot be made. */
  static start(): MountNamespace {
    const probe = spawnSync('unshare', ['-rm', 'true'], { encoding: 'utf8' });
    if (probe.status !== 0) throw new Error(`cannot make a mount namespace here (unshare -rm: ${probe.stderr.trim() || probe.error?.message})`);
    const holder = spawn('unshare', ['-rm', '--propagation', 'private', 'sleep', '3600'], { stdio: 'ignore' });
    // nsenter can join only once unshare has made the namespaces and exec'd sleep.
    const mine = readlinkSync('/proc/self/ns/mnt');
    for (const end = Date.now() + 10_000; ; sleepMs(10)) {
      const theirs = (() => { try { return readlinkSync(`/proc/${holder.pid}/ns/mnt`); } catch { return mine; } })();
      const exe = (() => { try { return readlinkSync(`/proc/${holder.pid}/exe`); } catch { return ''; } })();
      if (theirs !== mine && !exe.endsWith('unshare')) break;
      if (Date.now() > end) throw new Error('the mount namespace did not come up within 10 s');
    }
    return new MountNamespace(holder);
  }

  private args(cmd: string[]): string[] {
    return ['-t', String(this.holder.pid), '-U', '-m', '--preserve-credentials', ...cmd];
  }

  /** Runs `cmd` inside the namespace and waits for it. */
  run(cmd: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): SpawnSyncReturns<string> {
    return spawnSync('nsenter', this.args(cmd), { encoding: 'utf8', ...opts });
  }

  /** Starts `cmd` inside the namespace without waiting. */
  spawn(cmd: string[], opts: { cwd?: string } = {}): ChildProcess {
    return spawn('nsenter', this.args(cmd), opts);
  }

  sh(script: string): SpawnSyncReturns<string> {
    const r = this.run(['sh', '-c', script]);
    if (r.status !== 0) throw new Error(`${script}: ${r.stderr}`);
    return r;
  }

  /** Mounts a tmpfs of `kib` KiB over `dir` (inside the namespace only). */
  mountTmpfs(dir: string, kib: number): void {
    this.sh(`mount -t tmpfs -o size=${kib}k tmpfs '${dir}'`);
  }

  remountReadOnly(dir: string): void {
    this.sh(`mount -o remount,ro '${dir}'`);
  }

  /** Fills the file system of `dir` to the last byte with `dir/filler`. */
  fill(dir: string): void {
    this.run(['sh', '-c', `cat /dev/zero > '${dir}/filler' 2>/dev/null`]);
  }

  close(): void {
    this.holder.kill('SIGKILL');
  }
}

// Real `hone agent` processes for the queue tests: started (in a network namespace when given), waited for
// until registered, signalled, their output kept.
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, waitFor } from './cli';
import { Namespaces, type Netns } from './netns';
import type { RedisServer } from './redis';
import { removeTmpDir } from './tmp';

const BIN = join(ROOT, 'bin/hone.js');

export class AgentProcesses {
  readonly all = new Map<string, { child: ChildProcess; out: () => string }>();

  /**
   * Starts `hone agent --queue <url>` (in namespace `where` when given; with `viaEnv`, the URL in HONE_QUEUE
   * instead) and waits until it has registered.
   */
  async start(name: string, url: string, where?: Netns, extra: string[] = [], viaEnv = false): Promise<void> {
    const cmd = [process.execPath, BIN, 'agent', ...(viaEnv ? [] : ['--queue', url]), '--name', name, '--lock-ms', '2000', ...extra];
    const [file, ...args] = where ? Namespaces.exec(where, cmd) : cmd;
    const child = spawn(file, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...(viaEnv && { HONE_QUEUE: url }) } });
    let out = '';
    child.stdout!.on('data', (b) => (out += b));
    child.stderr!.on('data', (b) => (out += b));
    this.all.set(name, { child, out: () => out });
    await waitFor(() => (out.includes(`agent ${name} on`) ? true : child.exitCode !== null ? assert.fail(out) : undefined), 60_000, `agent ${name}`);
  }

  /** Sends `signal` and, unless it only pauses or resumes the agent, waits for its exit. */
  async signal(name: string, signal: NodeJS.Signals): Promise<void> {
    const a = this.all.get(name)!;
    if (a.child.exitCode !== null || a.child.signalCode !== null) return;
    if (signal === 'SIGSTOP' || signal === 'SIGCONT') return void a.child.kill(signal);
    await new Promise((r) => {
      a.child.once('exit', r);
      a.child.kill(signal);
    });
  }

  out = (name: string) => this.all.get(name)!.out();

  killAll = () => Promise.all([...this.all.keys()].map((name) => this.signal(name, 'SIGKILL')));
}

/** A queue suite's after(): every agent killed, Redis stopped, the suite's folder removed whatever failed. */
export async function tearDownQueue(agents: AgentProcesses, redis: RedisServer | undefined, dir: string): Promise<void> {
  try {
    await agents.killAll();
    await redis?.stop();
  } finally {
    removeTmpDir(dir);
  }
}

// Network namespaces for the queue tests: each a separate network stack joined to the root namespace by a
// veth pair on its own /30 (root end 10.<a>.<b>.1, namespace end .2), so an agent inside reaches Redis over
// a network link rather than loopback, and only this test's addresses. Names carry this process's pid;
// `remove()` deletes the namespaces (which deletes their links) and runs even when a test failed.
import { spawnSync } from 'node:child_process';

export interface Netns {
  name: string;
  /** The root namespace's end of the link: where a server the namespace should reach listens. */
  rootAddress: string;
  /** The namespace's own address. */
  address: string;
}

const ip = (args: string[]) => {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')}: ${(r.stderr || r.error?.message || '').trim()}`);
};

export class Namespaces {
  readonly list: Netns[] = [];

  /** Makes `count` namespaces; throws, saying why, where they cannot be made (not root, no iproute2, a sandbox). */
  static make(count: number): Namespaces {
    const ns = new Namespaces();
    try {
      for (let i = 0; i < count; i++) ns.add(i);
    } catch (e) {
      ns.remove();
      throw e;
    }
    return ns;
  }

  private add(i: number): void {
    const tag = `${process.pid % 100000}${String.fromCharCode(97 + i)}`;
    const name = `hone-q${tag}`;
    // 10.x.y.0/30 from the pid, so concurrent test runs on one machine do not share addresses.
    const x = 100 + ((process.pid >> 8) % 100);
    const y = ((process.pid % 60) * 4 + i) % 256;
    const n: Netns = { name, rootAddress: `10.${x}.${y}.1`, address: `10.${x}.${y}.2` };
    ip(['netns', 'add', name]);
    this.list.push(n);
    ip(['link', 'add', `hq${tag}r`, 'type', 'veth', 'peer', 'name', `hq${tag}n`]);
    ip(['link', 'set', `hq${tag}n`, 'netns', name]);
    ip(['addr', 'add', `${n.rootAddress}/30`, 'dev', `hq${tag}r`]);
    ip(['link', 'set', `hq${tag}r`, 'up']);
    ip(['-n', name, 'addr', 'add', `${n.address}/30`, 'dev', `hq${tag}n`]);
    ip(['-n', name, 'link', 'set', `hq${tag}n`, 'up']);
    ip(['-n', name, 'link', 'set', 'lo', 'up']);
  }

  /** The command line that runs `cmd` inside namespace `n`. */
  static exec(n: Netns, cmd: string[]): string[] {
    return ['ip', 'netns', 'exec', n.name, ...cmd];
  }

  remove(): void {
    for (const n of this.list.splice(0)) spawnSync('ip', ['netns', 'del', n.name]);
  }
}

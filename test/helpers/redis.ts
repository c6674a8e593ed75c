// A real redis-server (Debian's package, installed by scripts/ensure-deps.sh) for the queue tests: its own
// free port and folder, a password, optional append-only persistence, bound to loopback plus any addresses
// the test names (the root ends of its network namespaces' links). Stopped by `stop()`; `restart()` keeps
// the folder, so a persisted queue comes back.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Redis } from 'ioredis';

export const freePort = () => new Promise<number>((resolve, reject) => {
  const s = createServer();
  s.unref();
  s.on('error', reject);
  s.listen(0, '127.0.0.1', () => {
    const { port } = s.address() as { port: number };
    s.close(() => resolve(port));
  });
});

export interface RedisOptions {
  dir: string;
  password: string;
  /** Addresses to listen on besides 127.0.0.1. */
  bind?: string[];
  appendonly?: boolean;
  /** Also listen with TLS on `tlsPort`, with this certificate and key (PEM files). */
  tls?: { cert: string; key: string };
}

export class RedisServer {
  private child?: ChildProcess;
  private constructor(readonly port: number, readonly tlsPort: number, private readonly o: RedisOptions) {}

  static async start(o: RedisOptions): Promise<RedisServer> {
    const r = new RedisServer(await freePort(), o.tls ? await freePort() : 0, o);
    await r.launch();
    return r;
  }

  /** `redis://:password@host:port` (host default 127.0.0.1). */
  url(host = '127.0.0.1', password = this.o.password): string {
    return `redis://:${password}@${host}:${this.port}`;
  }

  private async launch(): Promise<void> {
    const args = [
      '--port', String(this.port), '--bind', ['127.0.0.1', ...(this.o.bind ?? [])].join(' '), '--dir', this.o.dir,
      '--requirepass', this.o.password, '--save', '', '--daemonize', 'no', '--logfile', join(this.o.dir, 'redis.log'),
      ...(this.o.appendonly ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']),
      ...(this.o.tls ? ['--tls-port', String(this.tlsPort), '--tls-cert-file', this.o.tls.cert, '--tls-key-file', this.o.tls.key, '--tls-auth-clients', 'no'] : []),
    ];
    const child = spawn('redis-server', args, { stdio: 'ignore' });
    this.child = child;
    const client = new Redis({ port: this.port, password: this.o.password, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 1 });
    client.on('error', () => undefined);
    for (const end = Date.now() + 10_000; ; await new Promise((r) => setTimeout(r, 50))) {
      if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode} (see ${join(this.o.dir, 'redis.log')})`);
      try {
        await client.connect();
        await client.ping();
        client.disconnect();
        return;
      } catch {
        if (Date.now() > end) throw new Error('redis-server did not answer within 10 s');
        client.disconnect();
      }
    }
  }

  /** Stops the server (SIGTERM: with appendonly on, everything acknowledged is on disk) and waits for it. */
  async stop(): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGTERM');
    });
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.launch();
  }
}

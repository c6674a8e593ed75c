// The queue over TLS (`rediss://`, core/queue/url.ts): a real redis-server listening with TLS on a certificate
// from a test CA (made with openssl), a real agent and the real CLI. The server's certificate is verified:
// without the CA the connection is refused with a clear message; with it (NODE_EXTRA_CA_CERTS, as a user
// adds a private CA) a run trains on the agent over TLS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTmpDir } from '../helpers/tmp';
import { digitsSpec, readJson, ROOT, writeSpec } from '../helpers/cli';
import { RedisServer } from '../helpers/redis';
import { AgentProcesses, tearDownQueue } from '../helpers/agents';

const PASSWORD = 'tls-test-secret-4d1e';
let dir: string;
let redis: RedisServer;
let ca: string;
const agents = new AgentProcesses();

/** A CA, and a certificate it signed for localhost and 127.0.0.1. */
function makeCertificates(d: string): { ca: string; cert: string; key: string } {
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: d, stdio: 'ignore' });
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=hone-test-ca');
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
  writeFileSync(join(d, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'san.ext');
  return { ca: join(d, 'ca.pem'), cert: join(d, 'server.pem'), key: join(d, 'server.key') };
}

const tlsUrl = () => `rediss://:${PASSWORD}@localhost:${redis.tlsPort}`;
const hone = (args: string[], env: NodeJS.ProcessEnv) => spawnSync(process.execPath, [join(ROOT, 'bin/hone.js'), ...args], { cwd: ROOT, encoding: 'utf8', env });

before(async () => {
  dir = makeTmpDir();
  const certs = makeCertificates(dir);
  ca = certs.ca;
  redis = await RedisServer.start({ dir, password: PASSWORD, tls: certs });
});

after(() => tearDownQueue(agents, redis, dir));

test('rediss:// checks the server\'s certificate: unknown CA refused, a plain client on the TLS port refused', () => {
  const { NODE_EXTRA_CA_CERTS: _, ...env } = process.env;
  const r = hone(['agent', 'ls', '--queue', tlsUrl()], env);
  assert.equal(r.status, 2, r.stderr + r.stdout);
  assert.match(r.stderr, /rediss:\/\/:\*\*\*@localhost:\d+: its TLS certificate is not trusted here \(.*\); a private CA is added with NODE_EXTRA_CA_CERTS=ca\.pem/);
  assert.ok(!r.stderr.includes(PASSWORD));
  const plain = hone(['agent', 'ls', '--queue', `redis://:${PASSWORD}@localhost:${redis.tlsPort}`], env);
  assert.equal(plain.status, 2, 'a plain connection to the TLS port does not pass');
  assert.match(plain.stderr, /redis:\/\/:\*\*\*@localhost:\d+ closed the connection \(.*\): if the server expects TLS, use rediss:\/\//);
});

test('with the CA trusted, an agent and a run reach the queue over TLS and the run trains there', async () => {
  const env = { ...process.env, NODE_EXTRA_CA_CERTS: ca };
  process.env.NODE_EXTRA_CA_CERTS = ca;
  try {
    await agents.start('agent-tls', tlsUrl());
  } finally {
    delete process.env.NODE_EXTRA_CA_CERTS;
  }
  const ls = hone(['agent', 'ls', '--queue', tlsUrl()], env);
  assert.equal(ls.status, 0, ls.stderr);
  assert.match(ls.stdout, /agent-tls/);
  const store = join(dir, 'store');
  const r = hone(['run', writeSpec(dir, 'tls', digitsSpec('tls')), '--store', store, '--queue', tlsUrl()], env);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  const [id] = readdirSync(join(store, 'runs'));
  const rec = readJson(join(store, 'runs', id, 'run.json'));
  assert.deepEqual([rec.status, rec.remote.agent.name, rec.remote.queue], ['completed', 'agent-tls', `rediss://:***@localhost:${redis.tlsPort}`]);
  assert.equal(rec.epochsDone, 3);
});

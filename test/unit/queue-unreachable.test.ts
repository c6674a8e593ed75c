// `hone run --queue` when the queue goes away for good (core/queue/remote.ts): the run is recorded crashed
// once Redis has been unreachable for $HONE_QUEUE_TIMEOUT_S, and a second Ctrl-C records it stopped at once;
// either way the command ends. A real redis-server, stopped under a waiting coordinator (no agent takes the job).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { digitsSpec, hone, readJson, ROOT, waitFor, writeSpec, type CliResult } from '../helpers/cli';
import { createServer, type AddressInfo } from 'node:net';
import { RedisServer } from '../helpers/redis';

let dir: string;

before(() => {
  dir = makeTmpDir();
});
after(() => removeTmpDir(dir));

/** `hone run <spec> --queue` on a fresh Redis, which is stopped once the run is recorded queued. */
async function runThenLoseRedis(name: string, env: Record<string, string>, afterLoss?: (pid: number) => Promise<void>) {
  mkdirSync(join(dir, name));
  const redis = await RedisServer.start({ dir: join(dir, name), password: 'pw-unreach' });
  const store = join(dir, name, 'store');
  const child = spawn(process.execPath, [join(ROOT, 'bin/hone.js'), 'run', writeSpec(dir, name, digitsSpec(name)), '--store', store, '--queue', redis.url()], { cwd: ROOT, env: { ...process.env, ...env } });
  let out = '';
  child.stdout.on('data', (b) => (out += b));
  child.stderr.on('data', (b) => (out += b));
  const ended = new Promise<CliResult>((res) => child.on('exit', (code) => res({ code, stdout: out, stderr: '' })));
  const runJson = () => {
    const runs = existsSync(join(store, 'runs')) ? readdirSync(join(store, 'runs')) : [];
    return runs.length && existsSync(join(store, 'runs', runs[0], 'run.json')) ? join(store, 'runs', runs[0], 'run.json') : undefined;
  };
  const file = await waitFor(runJson, 30_000, 'the queued run');
  await waitFor(() => (readJson(file).remote ? true : undefined), 30_000, 'the run enqueued');
  // Timed from before the server is told to stop: the command may see it gone before stop() returns.
  const lost = Date.now();
  await redis.stop();
  await afterLoss?.(child.pid!);
  const limit = new AbortController();
  const r = await Promise.race([ended, delay(60_000, undefined, { signal: limit.signal }).catch(() => undefined)]);
  limit.abort();
  if (!r) child.kill('SIGKILL');
  return { r, rec: readJson(file), seconds: (Date.now() - lost) / 1000 };
}

test('Redis gone for $HONE_QUEUE_TIMEOUT_S seconds: the waiting run is recorded crashed and the command ends', async () => {
  const { r, rec, seconds } = await runThenLoseRedis('timeout', { HONE_QUEUE_TIMEOUT_S: '3' });
  assert.ok(r, 'the command ended');
  assert.equal(r.code, 1, r.stdout);
  assert.equal(rec.status, 'crashed');
  assert.match(rec.message, /^the queue redis:\/\/:\*\*\*@127\.0\.0\.1:\d+ was unreachable for 3 s \(\$HONE_QUEUE_TIMEOUT_S\): recorded crashed here; an agent may still be training it$/);
  assert.ok(seconds >= 3, `recorded after ${seconds} s`);
  assert.ok(!JSON.stringify(rec).includes('pw-unreach'));
});

test('Redis gone and Ctrl-C twice: the run is recorded stopped at once and the command ends', async () => {
  const { r, rec, seconds } = await runThenLoseRedis('ctrl-c', { HONE_QUEUE_TIMEOUT_S: '600' }, async (pid) => {
    process.kill(pid, 'SIGINT');
    await new Promise((res) => setTimeout(res, 500));
    process.kill(pid, 'SIGINT');
  });
  assert.ok(r, 'the command ended');
  assert.equal(rec.status, 'stopped');
  assert.match(rec.message, /^asked to stop twice: recorded stopped here without waiting for its agent/);
  assert.ok(seconds < 30, `ended ${seconds} s after Redis went away, not after the 600 s limit`);
});

test('hone sweep --queue checks the spec before it reaches for the queue: a bad spec is reported as such, exit 2, even with no Redis there', async () => {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as AddressInfo).port;
  await new Promise((r) => probe.close(r)); // a port nothing listens on
  const spec = writeSpec(dir, 'bad-sweep', { ...digitsSpec('bad-sweep'), train: { epochs: 0 }, sweep: { parameters: { 'train.lr': { type: 'float', min: 0.001, max: 0.1 } }, trials: 2 } });
  const r = hone(['sweep', spec, '--store', join(dir, 'bad-sweep-store'), '--queue', `redis://127.0.0.1:${port}`]);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /train\.epochs: expected an integer >= 1/);
  assert.doesNotMatch(r.stderr, /nothing listens/);
  assert.equal(existsSync(join(dir, 'bad-sweep-store')), false, 'nothing written');
});

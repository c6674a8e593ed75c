// Threads within one run, through the real CLI and worker processes (issue 12): the thread count a
// spec or HONE_THREADS asks for is the one the worker runs and records, and a multi-threaded worker
// that is stopped (hone stop) or killed (SIGKILL) mid-training ends, threads and all, with its run
// recorded stopped or crashed; runs started together share the cores. Needs dist/ (node scripts/build.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { digitsSpec, hone, honeAsync, readJson, ROOT, waitFor, writeSpec } from '../helpers/cli';

let dir: string;
before(() => (dir = makeTmpDir()));
after(() => removeTmpDir(dir));

const runDirOf = (store: string) =>
  waitFor(() => (existsSync(join(store, 'runs')) ? readdirSync(join(store, 'runs')).map((id) => join(store, 'runs', id)).find((d) => existsSync(join(d, 'run.json'))) : undefined), 30_000, 'run.json');
const alive = (pid: number) => existsSync(`/proc/${pid}`) && !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));

test('the worker runs and records the thread count of the spec, or of HONE_THREADS', () => {
  for (const [name, threads, env, expected] of [['spec2', 2, {}, 2], ['env1', 0, { HONE_THREADS: '1' }, 1], ['env3', undefined, { HONE_THREADS: '3' }, 3]] as const) {
    const store = join(dir, name);
    const spec = writeSpec(dir, name, { ...digitsSpec(name, { epochs: 1 }), backend: 'wasm', ...(threads === undefined ? {} : { threads }) });
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/hone.js'), 'run', spec, '--store', store], { encoding: 'utf8', env: { ...process.env, ...env } });
    assert.equal(r.status, 0, r.stderr);
    const [id] = readdirSync(join(store, 'runs'));
    const rec = readJson(join(store, 'runs', id, 'run.json'));
    assert.equal(rec.backend.name, 'wasm');
    assert.equal(rec.backend.threads, expected, `${name}: ${JSON.stringify(rec.backend)}`);
    assert.match(readFileSync(join(store, 'runs', id, 'log.txt'), 'utf8'), new RegExp(`backend wasm: requested in the spec; ${expected} threads? \\(`));
  }
});

/** A long 2-thread run, resolved once it has finished an epoch. */
async function longRun(name: string) {
  const store = join(dir, name);
  const spec = { ...digitsSpec(name, { epochs: 400, batchSize: 32 }), backend: 'wasm', threads: 2, model: { type: 'mlp', layers: [256, 256] } };
  const p = honeAsync(['run', writeSpec(dir, name, spec), '--store', store]);
  const runDir = await runDirOf(store);
  await waitFor(() => (readJson(join(runDir, 'run.json')).epochsDone >= 1 ? true : undefined), 60_000, 'an epoch');
  const rec = readJson(join(runDir, 'run.json'));
  assert.equal(rec.backend.threads, 2);
  return { p, store, runDir, id: rec.id as string, pid: rec.pid as number };
}

test('hone stop ends a 2-thread worker mid-training: no deadlock, run stopped, process gone', async () => {
  const { p, store, runDir, id, pid } = await longRun('stop');
  assert.ok(alive(pid));
  const stop = hone(['stop', id, '--store', store]);
  assert.equal(stop.code, 0, stop.stderr);
  const r = await p.result;
  assert.equal(r.code, 1, 'hone run reports a run that did not complete');
  const rec = readJson(join(runDir, 'run.json'));
  assert.equal(rec.status, 'stopped', rec.message);
  assert.match(rec.message, /stopped on request/);
  assert.ok(existsSync(join(runDir, 'model', 'model.json')), 'a stopped run saves its model');
  await waitFor(() => (alive(pid) ? undefined : true), 10_000, 'the worker process to end');
});

test('SIGKILL of a 2-thread worker mid-training: the run is recorded crashed, the process and its threads are gone', async () => {
  const { p, runDir, pid } = await longRun('kill');
  process.kill(pid, 'SIGKILL');
  const r = await p.result;
  assert.equal(r.code, 1);
  const rec = readJson(join(runDir, 'run.json'));
  assert.equal(rec.status, 'crashed');
  assert.match(rec.message, /killed by SIGKILL/);
  // Threads are tasks of the worker's process: none outlives it.
  await waitFor(() => (existsSync(`/proc/${pid}/task`) ? undefined : true), 10_000, 'the worker\'s threads to end');
});

test('two runs started together share the cores: each takes at most cores / 2 threads by default', { skip: process.platform !== 'linux' }, () => {
  const store = join(dir, 'pair');
  const spec = writeSpec(dir, 'pair', { ...digitsSpec('pair', { epochs: 3 }), backend: 'wasm' });
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/hone.js'), 'run', spec, spec, '--parallel', '2', '--store', store], { encoding: 'utf8', env: { ...process.env, HONE_THREADS: '', HONE_PARALLEL_RUNS: '' } });
  assert.equal(r.status, 0, r.stderr);
  for (const id of readdirSync(join(store, 'runs'))) {
    const { backend } = readJson(join(store, 'runs', id, 'run.json'));
    // Both runs count themselves and each other; a worker of another test running at the same time counts too.
    const live = Number(/\/ (\d+) live runs/.exec(backend.threadsWhy)?.[1]);
    assert.ok(live >= 2, JSON.stringify(backend));
    const share = Math.min(8, Math.max(1, Math.floor(availableParallelism() / live)));
    // The share, or fewer where other work on the machine keeps cores busy (it says so).
    assert.ok(backend.threads >= 1 && backend.threads <= share, JSON.stringify(backend));
    // Fewer than the share only where other work keeps cores busy, or the model is too small for threads (it says which).
    if (backend.threads < share) assert.match(backend.threadsWhy, /live runs( = \d+, but other work keeps [\d.]+ busy)?(; 1 thread: a step is [\d.]+ M multiply-adds, under the \d+ M where a second thread pays)?$/);
  }
});

// Issue 9, runs under faults, as real processes: divergence, copied folders, foreign pids, paused
// workers, signals early and twice, removal races. Each test failed before its fix.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { digitsSpec, hone, honeAsync, readJson, waitFor, writeSpec } from '../helpers/cli';
import { processInfo } from '../../src/core/store';

let dir: string;
before(() => (dir = makeTmpDir()));
after(() => removeTmpDir(dir));

const STACK = /\n\s+at .*\(/;
const runIds = (store: string) => (existsSync(join(store, 'runs')) ? readdirSync(join(store, 'runs')) : []);
const record = (store: string, id: string) => readJson(join(store, 'runs', id, 'run.json'));
/** The folder of a store's single run, once its run.json is written. */
const onlyRunDir = (store: string) =>
  waitFor(() => runIds(store).map((id) => join(store, 'runs', id)).find((d) => existsSync(join(d, 'run.json'))), 30_000, 'the run\'s run.json');

/** A digits run long enough to act on while it trains; resolves once `epochs` epochs are recorded. */
async function longRun(name: string, epochs = 1) {
  const store = join(dir, name);
  const p = honeAsync(['run', writeSpec(dir, name, digitsSpec(name, { epochs: 400, batchSize: 16 })), '--store', store]);
  const runDir = await onlyRunDir(store);
  await waitFor(() => (readJson(join(runDir, 'run.json')).epochsDone >= epochs ? true : undefined), 60_000, `${epochs} epoch(s)`);
  return { p, store, runDir, id: runIds(store)[0], pid: readJson(join(runDir, 'run.json')).pid as number };
}

test('a diverging run ends diverged: NaN crosses IPC as a number, no crash, the index says diverged (case 1)', () => {
  const store = join(dir, 'diverge');
  const spec = writeSpec(dir, 'diverge', {
    name: 'diverge', seed: 1,
    data: { source: 'regression', samples: 200, features: 3, noise: 1 },
    model: { type: 'linear' },
    train: { optimizer: 'sgd', lr: 1000, batchSize: 20, epochs: 20 },
  });
  const r = hone(['run', spec, '--store', store]);
  assert.equal(r.code, 1, 'a run that did not complete');
  assert.doesNotMatch(r.stderr, STACK);
  assert.match(r.stdout, /diverge: epoch 1\/20 loss=(Infinity|NaN|\d)/);
  assert.match(r.stdout, /diverge: diverged \((loss became (NaN|Infinity) at epoch|weights became (NaN|-?Infinity) at the end of epoch) \d+\)/);
  const [id] = runIds(store);
  assert.equal(record(store, id).status, 'diverged');
  assert.equal(readJson(join(store, 'index.json')).runs[id].status, 'diverged');
});

test('a run is its folder: a copied folder is another run, and rm of the copy removes the copy (case 3)', () => {
  const store = join(dir, 'copy');
  assert.equal(hone(['run', writeSpec(dir, 'orig', digitsSpec('orig', { epochs: 1 })), '--store', store]).code, 0);
  const [orig] = runIds(store);
  const copy = `${orig.slice(0, -6)}c0c0c0`;
  cpSync(join(store, 'runs', orig), join(store, 'runs', copy), { recursive: true });
  const ls = JSON.parse(hone(['ls', '--store', store, '--json']).stdout) as { id: string }[];
  assert.deepEqual(ls.map((v) => v.id).sort(), [orig, copy].sort(), 'two rows, two ids');
  const rm = hone(['rm', copy, '--store', store]);
  assert.equal(rm.code, 0, rm.stderr);
  assert.equal(rm.stdout.trim(), `removed run ${copy}`);
  assert.deepEqual(runIds(store), [orig], 'the original stays');
});

test('concurrent rm of one run: exactly one removes it, the others say it is gone (case 10)', async () => {
  const store = join(dir, 'race');
  assert.equal(hone(['run', writeSpec(dir, 'race', digitsSpec('race', { epochs: 1 })), '--store', store]).code, 0);
  // Six runs, three rm processes racing for each: a check-then-delete removal lets two of a trio "win".
  const [first] = runIds(store);
  const ids = [first, ...[1, 2, 3, 4, 5].map((i) => `${first.slice(0, -6)}${String(i).padStart(6, 'a')}`)];
  ids.slice(1).forEach((id) => cpSync(join(store, 'runs', first), join(store, 'runs', id), { recursive: true }));
  const results = await Promise.all(ids.flatMap((id) => [0, 1, 2].map(() => honeAsync(['rm', id, '--store', store]).result.then((r) => ({ id, ...r })))));
  for (const id of ids) {
    const mine = results.filter((r) => r.id === id);
    assert.deepEqual(mine.map((r) => r.code).sort(), [0, 2, 2], `run ${id}`);
    assert.equal(mine.filter((r) => /removed run/.test(r.stdout)).length, 1);
    for (const r of mine.filter((x) => x.code === 2)) assert.match(r.stderr, /no run|already removed/);
  }
  assert.deepEqual(runIds(store), []);
});

test('hone stop never signals a process that is not the run\'s worker (case 4)', async () => {
  const store = join(dir, 'foreign');
  assert.equal(hone(['run', writeSpec(dir, 'foreign', digitsSpec('foreign', { epochs: 1 })), '--store', store]).code, 0);
  const [id] = runIds(store);
  const sleeper = spawn('sleep', ['300'], { stdio: 'ignore' });
  try {
    // The record claims a live run whose pid is an unrelated process (pid reuse, a hand-edited file).
    const file = join(store, 'runs', id, 'run.json');
    writeFileSync(file, JSON.stringify({ ...readJson(file), status: 'running', pid: sleeper.pid, heartbeat: new Date().toISOString() }));
    const r = hone(['stop', id, '--store', store]);
    assert.equal(r.code, 2, r.stdout);
    assert.match(r.stderr, /is not running \(status crashed\)/);
    assert.equal(processInfo(sleeper.pid!)?.state, 'running', 'the sleep process is untouched');
    assert.equal(record(store, id).message, `process ${sleeper.pid} on ${record(store, id).host} is gone`);
  } finally {
    sleeper.kill('SIGKILL');
  }
});

test('a paused worker is alive: not crashed, not removable; a crash mark made elsewhere is kept when it resumes (case 5)', async () => {
  const { p, store, runDir, id, pid } = await longRun('paused');
  process.kill(pid, 'SIGSTOP');
  try {
    await waitFor(() => (processInfo(pid)?.state === 'stopped' ? true : undefined), 5000, 'the worker to stop');
    // Stale by the clock: pretend the heartbeat is an hour old.
    const file = join(runDir, 'run.json');
    writeFileSync(file, JSON.stringify({ ...readJson(file), heartbeat: new Date(Date.now() - 3_600_000).toISOString() }));
    const [v] = JSON.parse(hone(['ls', '--store', store, '--json']).stdout);
    assert.equal(v.status, 'running', 'same host, live process: a stale heartbeat does not make it crashed');
    assert.match(hone(['show', id, '--store', store]).stdout, /status\s+running.*paused: process \d+ is stopped/);
    const rm = hone(['rm', id, '--store', store]);
    assert.equal(rm.code, 2);
    assert.match(rm.stderr, /is running .*stop it first/);
    assert.doesNotMatch(rm.stderr, STACK);
    // A reader on another machine cannot see the process and marks the run crashed by heartbeat age.
    writeFileSync(file, JSON.stringify({ ...readJson(file), status: 'crashed', finished: new Date().toISOString(), message: 'no heartbeat from this host for 3600 s' }));
  } finally {
    process.kill(pid, 'SIGCONT');
  }
  await waitFor(() => (readJson(join(runDir, 'run.json')).revived ? true : undefined), 20_000, 'the worker to notice');
  assert.equal(hone(['stop', id, '--store', store]).code, 0);
  const r = await p.result;
  const rec = readJson(join(runDir, 'run.json'));
  assert.equal(rec.status, 'stopped', 'its own end, not the crash mark');
  assert.equal(rec.revived.reason, 'no heartbeat from this host for 3600 s');
  assert.match(readFileSync(join(runDir, 'log.txt'), 'utf8'), /was marked crashed .* while its worker was alive; it goes on/);
  assert.doesNotMatch(r.stderr, STACK);
});

test('SIGTERM right after start records stopped, not crashed (case 9)', async () => {
  const store = join(dir, 'early');
  const p = honeAsync(['run', writeSpec(dir, 'early', digitsSpec('early', { epochs: 50 })), '--store', store]);
  const runDir = await onlyRunDir(store);
  p.child.kill('SIGTERM');
  const r = await p.result;
  assert.equal(r.code, 1);
  const rec = readJson(join(runDir, 'run.json'));
  assert.equal(rec.status, 'stopped', rec.message);
  assert.doesNotMatch(r.stderr, STACK);
});

/** Whether process `pid` has a SIGTERM (signal 15, bit 14 of the masks in /proc/<pid>/status) pending. */
const termPending = (pid: number) => [...readFileSync(`/proc/${pid}/status`, 'utf8').matchAll(/^(?:SigPnd|ShdPnd):\s*([0-9a-f]+)$/gm)]
  .some((m) => ((BigInt(`0x${m[1]}`) >> 14n) & 1n) === 1n);

test('a second SIGTERM ends a worker that cannot stop (here: paused); the run is recorded stopped (case 9)', async () => {
  const { p, runDir, pid } = await longRun('stuck');
  process.kill(pid, 'SIGSTOP');
  await waitFor(() => (processInfo(pid)?.state === 'stopped' ? true : undefined), 5000, 'the worker to stop');
  p.child.kill('SIGTERM');
  // The second only once the CLI has acted on the first (the paused worker holds its SIGTERM, pending): sent
  // before, the kernel may merge the two into one, and the CLI would wait for the worker's grace period.
  await waitFor(() => (termPending(pid) ? true : undefined), 30_000, 'the CLI to pass the first SIGTERM on');
  p.child.kill('SIGTERM');
  const r = await Promise.race([p.result, new Promise<never>((_, no) => setTimeout(() => no(new Error('the CLI still waits 20 s after a second SIGTERM')), 20_000))]);
  assert.equal(r.code, 1);
  const rec = readJson(join(runDir, 'run.json'));
  assert.equal(rec.status, 'stopped');
  assert.match(rec.message, /asked to stop twice; killed, so its model was not saved/);
  assert.equal(processInfo(pid), undefined, 'the worker is gone');
});

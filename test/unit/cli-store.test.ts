// The store under real processes: concurrent writers, a worker killed mid-run, a corrupt index,
// a run stopped from another process.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { digitsSpec, hone, honeAsync, readJson, waitFor, writeSpec } from '../helpers/cli';

let dir: string;
before(() => (dir = makeTmpDir()));
after(() => removeTmpDir(dir));

const metricLines = (runDir: string) =>
  existsSync(join(runDir, 'metrics.jsonl')) ? readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').split('\n').filter(Boolean) : [];

/** The single run folder of a store, once it exists. */
const onlyRun = (store: string) => {
  const runs = join(store, 'runs');
  const ids = existsSync(runs) ? readdirSync(runs) : [];
  return ids.length === 1 ? join(runs, ids[0]) : undefined;
};

/**
 * Starts `hone run` on a long digits spec into its own store and waits until `epochs` epochs are in
 * metrics.jsonl; returns the CLI process, the run folder and the worker's pid.
 */
async function longRun(name: string, epochs: number) {
  const store = join(dir, name);
  const p = honeAsync(['run', writeSpec(dir, name, digitsSpec(name, { epochs: 500, batchSize: 16 })), '--store', store]);
  const runDir = await waitFor(() => onlyRun(store), 30_000, 'the run folder');
  await waitFor(() => (metricLines(runDir).length >= epochs ? true : undefined), 60_000, `${epochs} epochs`);
  return { p, store, runDir, pid: readJson(join(runDir, 'run.json')).pid as number };
}

test('4 CLI processes writing into one store at once lose nothing', async () => {
  const store = join(dir, 'concurrent');
  const procs = [0, 1, 2, 3].map((i) => honeAsync(['run', writeSpec(dir, `c${i}`, digitsSpec(`c${i}`, { epochs: 2 })), '--store', store]));
  const results = await Promise.all(procs.map((p) => p.result));
  results.forEach((r) => assert.equal(r.code, 0, r.stderr));
  const index = readJson(join(store, 'index.json'));
  assert.deepEqual(Object.values(index.runs).map((r: any) => r.name).sort(), ['c0', 'c1', 'c2', 'c3']);
  assert.ok(Object.values(index.runs).every((r: any) => r.status === 'completed'), 'the index holds every final status');
  const ls = JSON.parse(hone(['ls', '--store', store, '--json']).stdout);
  assert.equal(ls.length, 4);
  for (const v of ls) assert.equal(metricLines(v.runDir).length, 2);
});

test('a worker killed with SIGKILL mid-run leaves a crashed run with every completed epoch', async () => {
  const { p, runDir, pid } = await longRun('killed', 3);
  process.kill(pid, 'SIGKILL');
  const r = await p.result;
  assert.equal(r.code, 1, 'the CLI reports a run that did not complete');
  const rec = readJson(join(runDir, 'run.json'));
  assert.equal(rec.status, 'crashed');
  assert.match(rec.message, /SIGKILL/);
  const lines = metricLines(runDir).map((l) => JSON.parse(l));
  assert.ok(lines.length >= 3);
  assert.deepEqual(lines.map((l) => l.epoch), lines.map((_, i) => i + 1), 'every completed epoch, in order');
});

test('when the CLI and its worker are both killed, the next reader marks the run crashed', async () => {
  const { p, store, runDir, pid } = await longRun('orphan', 1);
  p.child.kill('SIGKILL');
  process.kill(pid, 'SIGKILL');
  await p.result;
  const [v] = JSON.parse(hone(['ls', '--store', store, '--json']).stdout);
  assert.equal(v.status, 'crashed');
  assert.equal(readJson(join(runDir, 'run.json')).status, 'crashed', 'written back to run.json');
});

test('a corrupt index is rebuilt from the run folders', () => {
  const store = join(dir, 'concurrent');
  writeFileSync(join(store, 'index.json'), '{"version":1,"runs":{"tru');
  const ls = JSON.parse(hone(['ls', '--store', store, '--json']).stdout);
  assert.equal(ls.length, 4);
  assert.equal(Object.keys(readJson(join(store, 'index.json')).runs).length, 4);
});

test('hone stop from another process stops a run, which saves its model', async () => {
  const { p, store, runDir } = await longRun('stoppable', 1);
  const stop = hone(['stop', 'stoppable', '--store', store]);
  assert.equal(stop.code, 0, stop.stderr);
  assert.match(stop.stdout, /stopped/);
  const r = await p.result;
  assert.equal(r.code, 1);
  const rec = readJson(join(runDir, 'run.json'));
  assert.equal(rec.status, 'stopped');
  assert.ok(existsSync(join(runDir, 'model', 'model.json')));
  assert.equal(hone(['stop', 'stoppable', '--store', store]).code, 2, 'stopping a finished run is bad input');
});

// `hone resume` through the built CLI, with real worker processes: a run SIGKILLed mid-training, or
// stopped with `hone stop`, and then resumed ends with exactly the weights (and metric lines) of the same
// spec run without a break; runs that cannot be resumed are refused with exit 2 and left as they were.
import { hostname } from 'node:os';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { hone, honeAsync, readJson, waitFor, writeSpec } from '../helpers/cli';

let dir: string;
before(() => (dir = makeTmpDir()));
after(() => removeTmpDir(dir));

const STACK = /\n\s+at .*\(/;

/** A digits MLP on the cpu backend (deterministic): dropout, shuffled minibatches, a checkpoint every epoch. */
const spec = (name: string, train: Record<string, unknown> = {}) => ({
  name,
  seed: 7,
  backend: 'cpu',
  data: { source: 'digits', split: { train: 0.6, val: 0.2, test: 0.2 }, normalize: 'scale' },
  model: { type: 'mlp', layers: [64, 32], dropout: 0.2 },
  train: { epochs: 8, batchSize: 16, lr: 0.005, optimizer: 'adam', checkpoint: { every: 1 }, ...train },
});

const runDirOf = (store: string) => {
  const ids = existsSync(join(store, 'runs')) ? readdirSync(join(store, 'runs')) : [];
  return ids.length === 1 && existsSync(join(store, 'runs', ids[0], 'run.json')) ? join(store, 'runs', ids[0]) : undefined;
};
const metricLines = (runDir: string) =>
  existsSync(join(runDir, 'metrics.jsonl')) ? readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
// `time` is wall-clock and `tensors` a process-wide count: the rest of a line must repeat exactly.
const comparable = (runDir: string) => metricLines(runDir).map(({ time, tensors, ...rest }) => rest);

/** Every weight array of a run's saved model, by name, as exact bytes. */
function savedWeights(runDir: string): [string, Buffer][] {
  const model = readJson(join(runDir, 'model', 'model.json'));
  const bin = readFileSync(join(runDir, 'model', 'weights.bin'));
  let offset = 0;
  return model.weightsManifest[0].weights.map((w: { name: string; shape: number[] }) => {
    const bytes = 4 * w.shape.reduce((a, b) => a * b, 1);
    offset += bytes;
    return [w.name, bin.subarray(offset - bytes, offset)];
  });
}

/** The same spec trained without a break, in a store of its own. */
function uninterrupted(name: string, s: object): string {
  const store = join(dir, `${name}-whole`);
  const r = hone(['run', writeSpec(dir, `${name}-whole`, s), '--store', store]);
  assert.equal(r.code, 0, r.stderr);
  return runDirOf(store)!;
}

/** Starts `hone run` and resolves once `epochs` epochs are in metrics.jsonl. */
async function started(name: string, s: object, epochs: number) {
  const store = join(dir, name);
  const p = honeAsync(['run', writeSpec(dir, name, s), '--store', store]);
  const runDir = await waitFor(() => runDirOf(store), 30_000, 'the run folder');
  // run.json follows metrics.jsonl: a kill between the two writes leaves epochsDone one behind.
  await waitFor(() => (metricLines(runDir).length >= epochs && readJson(join(runDir, 'run.json')).epochsDone >= epochs ? true : undefined), 60_000, `${epochs} epochs`);
  return { p, store, runDir };
}

function assertSameRun(resumedDir: string, wholeDir: string): void {
  const [a, b] = [savedWeights(resumedDir), savedWeights(wholeDir)];
  assert.equal(a.length, b.length);
  a.forEach(([name, bytes], i) => assert.ok(bytes.equals(b[i][1]), `weight ${name} differs from the uninterrupted run's`));
  assert.ok(readFileSync(join(resumedDir, 'checkpoints', 'last', 'arrays.bin')).equals(readFileSync(join(wholeDir, 'checkpoints', 'last', 'arrays.bin'))), 'last checkpoints');
  assert.deepEqual(comparable(resumedDir), comparable(wholeDir), 'metrics.jsonl: each epoch once, in order, with the same values');
  assert.deepEqual(readJson(join(resumedDir, 'run.json')).final, readJson(join(wholeDir, 'run.json')).final);
}

test('SIGKILL after epoch 3 of 8, then hone resume: the weights equal an uninterrupted run\'s exactly', async () => {
  const s = spec('killed');
  const whole = uninterrupted('killed', s);
  const { p, store, runDir } = await started('killed', s, 3);
  process.kill(readJson(join(runDir, 'run.json')).pid, 'SIGKILL');
  assert.equal((await p.result).code, 1);
  const crashed = readJson(join(runDir, 'run.json'));
  assert.equal(crashed.status, 'crashed');
  assert.ok(crashed.epochsDone >= 3 && crashed.epochsDone < 8, `killed mid-run (epoch ${crashed.epochsDone})`);
  const root = join(runDir, 'checkpoints');
  // The SIGKILL itself may land inside a checkpoint write, between its renames: then only `last.old` is in place, and readers fall back to it.
  const from = readJson(join(root, existsSync(join(root, 'last')) ? 'last' : 'last.old', 'checkpoint.json')).epoch;
  // A later checkpoint write killed midway: a partial temp folder, and `last` already renamed away (as the writer
  // does it: a `last.old` left by an earlier killed write is cleared first).
  mkdirSync(join(root, '.last.99999.0badf00d.tmp'));
  writeFileSync(join(root, '.last.99999.0badf00d.tmp', 'arrays.bin'), Buffer.alloc(100, 7));
  if (existsSync(join(root, 'last'))) {
    rmSync(join(root, 'last.old'), { recursive: true, force: true });
    renameSync(join(root, 'last'), join(root, 'last.old'));
  }

  const r = hone(['resume', crashed.id.slice(0, 17), '--store', store]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`resumes from the checkpoint of epoch ${from}`));
  assert.match(r.stdout, /killed: completed \(trained 8 epochs\)/);
  const rec = readJson(join(runDir, 'run.json'));
  assert.equal(rec.status, 'completed');
  assert.equal(rec.id, crashed.id, 'the same run, in the same folder');
  assert.equal(rec.started, crashed.started);
  assert.equal(rec.resumed.length, 1);
  assert.deepEqual({ ...rec.resumed[0], at: undefined, started: undefined }, { at: undefined, started: undefined, fromEpoch: from, was: 'crashed', time: metricLines(runDir).find((l) => l.epoch === from).time });
  assert.ok(rec.resumed[0].started >= rec.resumed[0].at, 'its worker\'s start, after the resume');
  assertSameRun(runDir, whole);
  // Its training time counts the sessions before the kill too, as its metric lines' time does.
  assert.ok(rec.timings.trainMs >= 1000 * metricLines(runDir).at(-1).time - 1, `trainMs ${rec.timings.trainMs}`);
  assert.deepEqual(readdirSync(root).sort(), ['best', 'last'], 'leftovers of the killed write are gone');
  const log = readFileSync(join(runDir, 'log.txt'), 'utf8');
  assert.match(log, new RegExp(`resume: the run was crashed; it continues from the checkpoint of epoch ${from}`));
  assert.match(log, /resuming from the checkpoint of epoch \d+ \(step \d+\); the metrics of later epochs are recomputed/);
  assert.equal(hone(['resume', crashed.id, '--store', store]).code, 2, 'a completed run is not resumed again');
});

test('hone stop, then hone resume (momentum SGD, step schedule): the same weights as without the stop; a running or just resumed run is refused', async () => {
  const s = spec('stopped', { optimizer: 'momentum', lr: 0.02, batchSize: 8, schedule: { type: 'step', stepEpochs: 2, gamma: 0.5 } });
  const whole = uninterrupted('stopped', s);
  const { p, store, runDir } = await started('stopped', s, 2);
  const busy = hone(['resume', 'stopped', '--store', store]);
  assert.equal(busy.code, 2);
  assert.match(busy.stderr, /cannot be resumed: it is running/);
  assert.equal(hone(['stop', 'stopped', '--store', store]).code, 0);
  assert.equal((await p.result).code, 1);
  const stopped = readJson(join(runDir, 'run.json'));
  assert.equal(stopped.status, 'stopped');
  assert.ok(stopped.epochsDone < 8, `stopped mid-run (epoch ${stopped.epochsDone})`);
  // As if it had been started on another machine of a shared store: the resumed run is this machine's.
  writeFileSync(join(runDir, 'run.json'), JSON.stringify({ ...stopped, host: 'another-machine' }, null, 2));
  // Two resumes at once: one runs the worker, the other finds the run taken and changes nothing.
  const both = await Promise.all([0, 1].map(() => honeAsync(['resume', 'stopped', '--store', store, '--json']).result));
  assert.deepEqual(both.map((r) => r.code).sort(), [0, 2], both.map((r) => r.stderr).join('\n'));
  const [won, lost] = both[0].code === 0 ? both : [both[1], both[0]];
  assert.equal(JSON.parse(won.stdout)[0].status, 'completed', '--json prints the runs, as hone run does');
  assert.match(lost.stderr, /cannot be resumed: it is (queued|running)/);
  assert.deepEqual(readJson(join(runDir, 'run.json')).resumed.map((e: { was: string }) => e.was), ['stopped'], 'resumed once');
  assert.equal(readJson(join(runDir, 'run.json')).host, hostname(), 'the host of the process that resumed it, whose pid it names');
  assertSameRun(runDir, whole);
});

test('resume is refused, exit 2 and nothing changed, for a completed or diverged run and a run without checkpoints', async () => {
  const store = join(dir, 'refused');
  // Ids sort by creation second only: runs are found by name.
  const named = (name: string) => readdirSync(join(store, 'runs')).map((id) => join(store, 'runs', id))
    .find((d) => existsSync(join(d, 'run.json')) && readJson(join(d, 'run.json')).name === name);
  const unchanged = (name: string, message: RegExp) => {
    const runDir = named(name)!;
    const before = ['run.json', 'metrics.jsonl', 'log.txt'].map((f) => readFileSync(join(runDir, f), 'utf8'));
    const r = hone(['resume', name, '--store', store]);
    assert.equal(r.code, 2, r.stdout);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, STACK);
    assert.deepEqual(['run.json', 'metrics.jsonl', 'log.txt'].map((f) => readFileSync(join(runDir, f), 'utf8')), before);
  };
  assert.equal(hone(['run', writeSpec(dir, 'done', spec('done', { epochs: 2 })), '--store', store]).code, 0);
  unchanged('done', /cannot be resumed: it completed: there is nothing to resume/);
  // Hand-edited after its checkpoint: the rest would train under settings the first epochs did not have.
  const edited = readJson(join(named('done')!, 'run.json'));
  edited.status = 'stopped';
  edited.spec.train.lr = 0.05;
  writeFileSync(join(named('done')!, 'run.json'), JSON.stringify(edited, null, 2));
  unchanged('done', /cannot be resumed: the spec in its run\.json was changed after the checkpoint of epoch 2 \(train\.lr: 0\.005 then, 0\.05 now\).*rerun it instead$/m);

  const diverging = { name: 'nan', seed: 1, backend: 'cpu', data: { source: 'regression', samples: 200, features: 3 }, model: { type: 'linear' }, train: { optimizer: 'sgd', lr: 1000, epochs: 20, checkpoint: { every: 1 } } };
  assert.equal(hone(['run', writeSpec(dir, 'nan', diverging), '--store', store]).code, 1);
  unchanged('nan', /cannot be resumed: it diverged/);

  const p = honeAsync(['run', writeSpec(dir, 'plain', spec('plain', { epochs: 400, checkpoint: undefined })), '--store', store]);
  const runDir = await waitFor(() => {
    const d = named('plain');
    return d && metricLines(d).length >= 1 ? d : undefined;
  }, 60_000, 'an epoch');
  process.kill(readJson(join(runDir, 'run.json')).pid, 'SIGKILL');
  await p.result;
  unchanged('plain', /has no checkpoint to resume from: its spec has no train\.checkpoint; rerun it instead/);
  assert.match(hone(['resume', 'nope', '--store', store]).stderr, /no run matches 'nope'/);
});

test('a worker paused while its run was declared crashed and resumed elsewhere stops on waking and writes nothing more', async () => {
  const s = spec('taken');
  const whole = uninterrupted('taken', s);
  const { p, store, runDir } = await started('taken', s, 2);
  const paused = readJson(join(runDir, 'run.json')).pid;
  // Paused while it trains, not inside a write: a process stopped mid-write finishes that write on waking
  // (only its next write can be withheld). So: stop it, and go on only if its last epoch's line and
  // checkpoint are both complete; else let it run a little and try again.
  const root = join(runDir, 'checkpoints');
  const between = () => existsSync(join(root, 'last', 'checkpoint.json')) && !readdirSync(root).some((n) => n.endsWith('.tmp') || n.endsWith('.old'))
    && readJson(join(root, 'last', 'checkpoint.json')).epoch === metricLines(runDir).length && metricLines(runDir).length < 8;
  for (const end = Date.now() + 60_000; ; await new Promise((r) => setTimeout(r, 7))) {
    process.kill(paused, 'SIGSTOP');
    if (between()) break;
    process.kill(paused, 'SIGCONT');
    assert.ok(Date.now() < end, 'a moment between epochs within 60 s');
  }
  try {
    // What a reader on another machine of a shared store writes once the heartbeat is 30 s old.
    const rec = readJson(join(runDir, 'run.json'));
    writeFileSync(join(runDir, 'run.json'), JSON.stringify({ ...rec, status: 'crashed', message: 'no heartbeat from elsewhere for 31 s', finished: new Date().toISOString() }, null, 2));
    const resumed = honeAsync(['resume', 'taken', '--store', store]);
    await waitFor(() => {
      const r = readJson(join(runDir, 'run.json'));
      return r.status === 'running' && r.pid !== paused ? true : undefined;
    }, 60_000, 'the resumed worker');
    process.kill(paused, 'SIGCONT');
    assert.equal((await resumed.result).code, 0);
  } finally {
    try {
      process.kill(paused, 'SIGCONT');
    } catch {
      // It has ended.
    }
  }
  await p.result;
  const final = readJson(join(runDir, 'run.json'));
  assert.equal(final.status, 'completed');
  assert.equal(final.resumed.length, 1, 'the resume is on record');
  assert.notEqual(final.pid, paused);
  assert.match(readFileSync(join(runDir, 'log.txt'), 'utf8'), /was resumed at .* while its worker was alive; this worker stops and writes nothing more/);
  assertSameRun(runDir, whole);
});

test('resume refuses to go on with changed data: the run fails saying so, and keeps the data hash it trained with and its metric lines', async () => {
  const rows = (y: (i: number) => number) => ['x1,x2,y', ...Array.from({ length: 120 }, (_, i) => `${i / 120},${(i * 7) % 11},${y(i).toFixed(3)}`)].join('\n') + '\n';
  const csv = join(dir, 'changing.csv');
  writeFileSync(csv, rows((i) => i / 40));
  const s = { name: 'changing', seed: 1, backend: 'cpu', data: { source: 'csv', path: csv, target: 'y' }, model: { type: 'mlp', layers: [8] }, train: { epochs: 400, batchSize: 8, checkpoint: { every: 1 } } };
  const { p, store, runDir } = await started('changing', s, 2);
  const hash = readJson(join(runDir, 'run.json')).provenance.data.sha256;
  process.kill(readJson(join(runDir, 'run.json')).pid, 'SIGKILL');
  await p.result;
  writeFileSync(csv, rows(() => 0.5));
  const linesBefore = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8');
  const r = hone(['resume', 'changing', '--store', store]);
  assert.equal(r.code, 1, r.stderr);
  const rec = readJson(join(runDir, 'run.json'));
  assert.equal(rec.status, 'failed');
  assert.equal(readFileSync(join(runDir, 'metrics.jsonl'), 'utf8'), linesBefore, 'a resume that never trained keeps every metric line');
  assert.match(rec.message, /^the data changed since the run started \(SHA-256 \w{12} then, \w{12} now\), so the remaining epochs would train on other data/);
  assert.equal(rec.provenance.data.sha256, hash);
});

/**
 * `hone run` of spec `s` in the store `name`, its worker SIGKILLed by a hook preloaded through NODE_OPTIONS
 * at the first rename for which `when` holds (JavaScript over `from`, `to` and `n`, a counter it may bump).
 */
async function runKilledAtRename(name: string, s: object, when: string): Promise<{ store: string; runDir: string }> {
  const hook = join(dir, `${name}-hook.js`);
  writeFileSync(hook, `const fs = require('fs');
if (process.argv.some((a) => a.endsWith('worker.js'))) {
  const rename = fs.renameSync; let n = 0;
  fs.renameSync = function (from, to) {
    if (${when}) process.kill(process.pid, 'SIGKILL');
    return rename.apply(this, arguments);
  };
}
`);
  const store = join(dir, name);
  const killed = await honeAsync(['run', writeSpec(dir, name, s), '--store', store], undefined, { NODE_OPTIONS: `--require ${hook}` }).result;
  assert.equal(killed.code, 1, killed.stderr);
  const runDir = runDirOf(store)!;
  assert.equal(readJson(join(runDir, 'run.json')).status, 'crashed');
  return { store, runDir };
}

test('SIGKILL inside the write of best/ at the last improvement, then hone resume: best/ holds that epoch, as uninterrupted', async () => {
  const s = spec('best-killed', { epochs: 6 });
  const whole = uninterrupted('best-killed', s);
  // Checkpoints improve on val_loss at these epochs; the worker is killed writing best/ for the last of them.
  const improved: number[] = [];
  let low = Infinity;
  for (const l of metricLines(whole)) {
    if (l.metrics.val_loss >= low) continue;
    low = l.metrics.val_loss;
    improved.push(l.epoch);
  }
  assert.equal(readJson(join(whole, 'checkpoints', 'best', 'checkpoint.json')).epoch, improved.at(-1));
  // At its n-th rename of a new best/ into place, after the old best/ became best.old.
  const { store, runDir } = await runKilledAtRename('best-killed', s, `String(from).endsWith('.tmp') && String(to).endsWith('/checkpoints/best') && ++n === ${improved.length}`);
  assert.equal(readJson(join(runDir, 'run.json')).epochsDone, improved.at(-1), 'killed at the epoch of the last improvement');

  const r = hone(['resume', 'best-killed', '--store', store]);
  assert.equal(r.code, 0, r.stderr);
  const root = join(runDir, 'checkpoints');
  assert.deepEqual(readdirSync(root).sort(), ['best', 'last']);
  assert.equal(readJson(join(root, 'best', 'checkpoint.json')).epoch, improved.at(-1));
  assert.ok(readFileSync(join(root, 'best', 'arrays.bin')).equals(readFileSync(join(whole, 'checkpoints', 'best', 'arrays.bin'))), 'best/ as the uninterrupted run\'s');
  assertSameRun(runDir, whole);
});

test('SIGKILL while the model is saved after the last epoch, then hone resume: model/ is the uninterrupted run\'s, byte for byte', async () => {
  const s = spec('save-killed', { epochs: 3 });
  const whole = uninterrupted('save-killed', s);
  // As it renames its saved model into model/.
  const { store, runDir } = await runKilledAtRename('save-killed', s, `String(to).endsWith('/model')`);
  assert.equal(existsSync(join(runDir, 'model')), false);

  const r = hone(['resume', 'save-killed', '--store', store]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /resumes from the checkpoint of epoch 3/);
  // model.json keeps the dropout layers' seeds, which the last training step set.
  assert.deepEqual(readJson(join(runDir, 'model', 'model.json')), readJson(join(whole, 'model', 'model.json')));
  assertSameRun(runDir, whole);
});

test('a resume whose CLI is SIGKILLed before its worker reads run.json, then a second resume: the first worker leaves the run to the second', async () => {
  const s = spec('twice');
  const whole = uninterrupted('twice', s);
  const { p, store, runDir } = await started('twice', s, 2);
  process.kill(readJson(join(runDir, 'run.json')).pid, 'SIGKILL');
  await p.result;
  // Preloaded into the first resume's worker (NODE_OPTIONS reaches it): it names itself and stops before any of its code runs.
  const [hook, pidFile] = [join(dir, 'stop-at-start.js'), join(dir, 'first-worker.pid')];
  writeFileSync(hook, `if (process.argv.some((a) => a.endsWith('worker.js'))) {
  require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid));
  process.kill(process.pid, 'SIGSTOP');
}
`);
  const first = honeAsync(['resume', 'twice', '--store', store], undefined, { NODE_OPTIONS: `--require ${hook}` });
  const worker = Number(await waitFor(() => (existsSync(pidFile) ? readFileSync(pidFile, 'utf8') || undefined : undefined), 30_000, 'the first worker'));
  first.child.kill('SIGKILL');
  await first.result;
  try {
    // Its launcher is gone, so the queued run reads as crashed, and is resumed again: to the end.
    const second = hone(['resume', 'twice', '--store', store]);
    assert.equal(second.code, 0, second.stderr);
  } finally {
    process.kill(worker, 'SIGCONT');
  }
  await waitFor(() => {
    try {
      process.kill(worker, 0);
      return undefined;
    } catch {
      return true;
    }
  }, 60_000, 'the first worker to end');
  const rec = readJson(join(runDir, 'run.json'));
  assert.equal(rec.status, 'completed', rec.message);
  assert.deepEqual(rec.resumed.map((e: { was: string }) => e.was), ['crashed', 'crashed']);
  assert.match(readFileSync(join(runDir, 'log.txt'), 'utf8'), /this worker was started for session 1 of the run, which was resumed again meanwhile .*; it leaves the run to that session's worker/);
  assertSameRun(runDir, whole);
});

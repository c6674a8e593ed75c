// Federated runs through the real CLI, coordinator and client worker processes: rounds stream to
// metrics.jsonl as epochs, the run is of kind federated with partition.json and a plain TF.js model;
// `hone stop` discards a round it cuts short and saves the last complete round's global model; SIGKILL of the coordinator
// leaves a crashed run with its completed rounds, and its client workers gone; SIGKILL of a client worker
// fails the run with its complete rounds' model and final metrics kept.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { hone, honeAsync, modelFileBytes, readJson, waitFor, writeSpec } from '../helpers/cli';

let dir: string;
before(() => (dir = makeTmpDir('hone-fed-cli-')));
after(() => removeTmpDir(dir));

const STACK = /\n\s+at .*\(/;
const fedSpec = (name: string, federated: Record<string, unknown> = {}) => ({
  name, seed: 2,
  data: { source: 'digits', split: { train: 0.7, val: 0.1, test: 0.2 }, normalize: 'scale' },
  model: { type: 'mlp', layers: [32] },
  train: { optimizer: 'sgd', lr: 0.1 },
  federated: { clients: 10, fraction: 0.4, rounds: 4, localEpochs: 1, batchSize: 10, partition: { type: 'dirichlet', alpha: 1 }, workers: 2, ...federated },
});

const runIds = (store: string) => (existsSync(join(store, 'runs')) ? readdirSync(join(store, 'runs')) : []);
const onlyRunDir = (store: string) =>
  waitFor(() => runIds(store).map((id) => join(store, 'runs', id)).find((d) => existsSync(join(d, 'run.json'))), 30_000, "the run's run.json");
const metricLines = (runDir: string) => readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));

/** Pids of live client workers of the run in `runDir` (Linux: their command line names the flag and the folder). */
function clientWorkers(runDir: string): number[] {
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
    try {
      const cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0');
      const state = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]?.[0];
      return cmd.includes('--fed-client') && cmd.includes(runDir) && state !== 'Z';
    } catch {
      return false;
    }
  }).map(Number);
}

/** A federation long enough to act on while it runs; resolves once `rounds` rounds are recorded. */
async function longRun(name: string, rounds: number) {
  const store = join(dir, name);
  const p = honeAsync(['run', writeSpec(dir, name, fedSpec(name, { rounds: 500, localEpochs: 20, fraction: 0.6 })), '--store', store]);
  const runDir = await onlyRunDir(store);
  await waitFor(() => (existsSync(join(runDir, 'metrics.jsonl')) && metricLines(runDir).length >= rounds ? true : undefined), 90_000, `${rounds} round(s)`);
  return { p, store, runDir, id: runIds(store)[0] };
}

test('hone run of a federated spec: one metrics line per round (round = epoch = step), kind federated, partition.json, a plain model', () => {
  const store = join(dir, 'complete');
  const r = hone(['run', writeSpec(dir, 'complete', fedSpec('complete', { compression: { type: 'q8' } })), '--store', store, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const [view] = JSON.parse(r.stdout);
  const runDir = join(store, 'runs', view.id);
  const rec = readJson(join(runDir, 'run.json'));
  assert.equal(rec.kind, 'federated');
  assert.equal(rec.status, 'completed', rec.message);
  assert.equal(rec.epochsDone, 4);
  assert.equal(rec.epochsPlanned, 4);
  assert.match(rec.backend.threadsWhy, /2 client workers x \d thread/);
  const lines = metricLines(runDir);
  assert.deepEqual(lines.map((l) => [l.epoch, l.step]), [[1, 1], [2, 2], [3, 3], [4, 4]]);
  for (const l of lines) {
    for (const k of ['loss', 'accuracy', 'val_accuracy', 'test_accuracy', 'client_accuracy_mean', 'client_accuracy_min', 'client_accuracy_std', 'upload_bytes', 'download_bytes', 'upload_bytes_total']) {
      assert.ok(Number.isFinite(l.metrics[k]), `${k} in round ${l.epoch}`);
    }
    assert.equal(l.metrics.clients, 4);
    // q8: a byte per weight (and 8 per tensor) up, float32 down.
    const weights = rec.model.params;
    assert.equal(l.metrics.download_bytes, 4 * 4 * weights);
    assert.equal(l.metrics.upload_bytes, 4 * (weights + 8 * 4));
  }
  assert.equal(lines[3].metrics.download_bytes_total, 4 * lines[0].metrics.download_bytes);
  assert.deepEqual(rec.final, { ...lines[3].metrics, tfjs_bytes: modelFileBytes(runDir) }, 'the last round\'s metrics and the saved model\'s size');
  const summary = readJson(join(runDir, 'partition.json'));
  assert.equal(summary.clients, 10);
  assert.equal(summary.sizes.reduce((a: number, b: number) => a + b, 0), summary.samples);
  assert.equal(summary.labels.length, 10);
  const model = readJson(join(runDir, 'model', 'model.json'));
  assert.equal(model.userDefinedMetadata.hone.inputs, 'raw');
  assert.ok(existsSync(join(runDir, 'model', 'weights.bin')));
  const ls = JSON.parse(hone(['ls', '--store', store, '--filter', 'kind=federated', '--json']).stdout);
  assert.equal(ls.length, 1);
  assert.deepEqual(clientWorkers(runDir), [], 'client workers exited');
});

test('averageRounds: the saved model is the mean of the last rounds\' global models; the clients still train from the latest, scored as *_latest', () => {
  const store = join(dir, 'average');
  const run = (name: string, federated: Record<string, unknown>) => {
    const r = hone(['run', writeSpec(dir, name, fedSpec(name, federated)), '--store', store, '--json']);
    assert.equal(r.code, 0, r.stderr);
    return join(store, 'runs', JSON.parse(r.stdout)[0].id);
  };
  const weights = (runDir: string) => new Float32Array(new Uint8Array(readFileSync(join(runDir, 'model', 'weights.bin'))).buffer);
  const [plain3, plain4, averaged] = [run('plain3', { rounds: 3 }), run('plain4', {}), run('averaged', { averageRounds: 2 })];
  // The federation itself is unchanged: its latest global model scores as the plain run's did, round by round.
  const [plain, avg] = [metricLines(plain4), metricLines(averaged)];
  for (const key of ['test_accuracy', 'test_loss', 'val_accuracy', 'val_loss']) assert.deepEqual(avg.map((l) => l.metrics[`${key}_latest`]), plain.map((l) => l.metrics[key]), key);
  assert.equal(avg[0].metrics.test_loss, avg[0].metrics.test_loss_latest, 'round 1: a mean of one model');
  assert.ok(avg.slice(1).every((l) => l.metrics.test_loss !== l.metrics.test_loss_latest), 'from round 2 the scored model is the mean');
  assert.equal(plain[0].metrics.test_loss_latest, undefined, 'a plain run has no *_latest');
  // The saved model: the mean of rounds 3 and 4 (round 3's global model is that of the same federation run 3 rounds).
  const [w3, w4, w] = [weights(plain3), weights(plain4), weights(averaged)];
  assert.equal(w.length, w4.length);
  assert.ok(w.every((v, i) => Math.abs(v - (w3[i] + w4[i]) / 2) <= 1e-6 * (1 + Math.abs(v))), 'the saved weights are the mean of rounds 3 and 4');
  assert.ok(w.some((v, i) => v !== w4[i]), 'and not the latest global model');
  const bad = hone(['run', writeSpec(dir, 'bad-average', fedSpec('bad-average', { averageRounds: 0 })), '--store', store]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /federated\.averageRounds/);
});

test('train.schedule counts rounds: the clients of round r train at its rate, and each line records the rate its round used', () => {
  const store = join(dir, 'schedule');
  const run = (name: string, schedule: Record<string, unknown>) => {
    const spec = fedSpec(name, { rounds: 3 });
    const r = hone(['run', writeSpec(dir, name, { ...spec, train: { ...spec.train, schedule } }), '--store', store, '--json']);
    assert.equal(r.code, 0, r.stderr);
    return metricLines(join(store, 'runs', JSON.parse(r.stdout)[0].id));
  };
  const [constant, halved] = [run('constant-lr', { type: 'constant' }), run('halved-lr', { type: 'step', stepEpochs: 1, gamma: 0.5 })];
  assert.deepEqual(constant.map((l) => l.lr), [0.1, 0.1, 0.1]);
  assert.deepEqual(halved.map((l) => l.lr), [0.1, 0.05, 0.025]);
  // The same federation (seed, partition, clients sampled): round 1 at the same rate, then apart.
  assert.equal(halved[0].metrics.test_loss, constant[0].metrics.test_loss);
  assert.notEqual(halved[1].metrics.test_loss, constant[1].metrics.test_loss);
});

test('hone show, hone compare and hone compress of federated runs: the federation and its partition, the algorithms side by side, the global model compressed', () => {
  const store = join(dir, 'compare');
  const spec = writeSpec(dir, 'compare', fedSpec('compare', { rounds: 2 }));
  for (const algorithm of ['fedavg', 'fedavgm']) {
    const r = hone(['run', spec, '--set', `federated.algorithm=${algorithm}`, '--store', store]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /round 2\/2 /, 'a line per round');
  }
  const algorithmOf = (id: string) => readJson(join(store, 'runs', id, 'run.json')).spec.federated.algorithm;
  const [a, b] = runIds(store).sort((x, y) => algorithmOf(x).localeCompare(algorithmOf(y)));
  const show = hone(['show', b, '--store', store]);
  assert.equal(show.code, 0, show.stderr);
  assert.match(show.stdout, /federated fedavgm, 2 rounds of 10 clients \(dirichlet alpha 1\), C 0.4, E 1, B 10/);
  assert.match(show.stdout, /clients +\d+\.\.\d+ samples each; labels per client \d+\.\.\d+ .*\(partition.json\)/);
  const c = hone(['compare', a, b, '--store', store, '--json']);
  assert.equal(c.code, 0, c.stderr);
  const cmp = JSON.parse(c.stdout);
  assert.deepEqual(cmp.runs.map((r: { kind: string; epochs: number }) => [r.kind, r.epochs]), [['federated', 2], ['federated', 2]]);
  assert.deepEqual(cmp.spec.filter((d: { changed: boolean }) => d.changed).map((d: { path: string; values: unknown[] }) => [d.path, d.values]), [['federated.algorithm', ['fedavg', 'fedavgm']]]);
  for (const k of ['test_accuracy', 'client_accuracy_mean', 'upload_bytes_total']) assert.ok(cmp.metrics.includes(k), k);
  // The global model is an ordinary run model: hone compress takes it (its filled federated defaults do not count as written).
  const z = hone(['compress', a, '--set', 'compress.quantize.bits=8', '--store', store, '--json']);
  assert.equal(z.code, 0, z.stderr);
  const child = readJson(join(store, 'runs', JSON.parse(z.stdout).id, 'run.json'));
  assert.deepEqual([child.kind, child.parent, child.status, child.spec.federated], ['compress', a, 'completed', undefined]);
});

test('clients that cannot be dealt (data too large to deal while validating) fail the run before any client worker starts', () => {
  const store = join(dir, 'undealable');
  // 10000 x 101 generated values: past what validation deals; alpha 0.001 leaves most of 500 clients empty.
  const spec = { ...fedSpec('undealable', { clients: 500, partition: { type: 'dirichlet', alpha: 0.001 } }), data: { source: 'classification', samples: 10000, features: 101 } };
  const r = hone(['run', writeSpec(dir, 'undealable', spec), '--store', store]);
  assert.equal(r.code, 1, r.stderr);
  const runDir = join(store, 'runs', runIds(store)[0]);
  const rec = readJson(join(runDir, 'run.json'));
  assert.equal(rec.status, 'failed');
  assert.match(rec.message, /Dirichlet alpha 0\.001 left some of the 500 clients without samples/);
  const log = readFileSync(join(runDir, 'log.txt'), 'utf8');
  assert.doesNotMatch(log, /client worker/, 'no client worker was started');
  assert.ok(!existsSync(join(runDir, 'partition.json')));
});

test('hone stop: a round it cuts short is discarded; the model and final metrics are the last complete round\'s; stopped', async () => {
  const { p, store, runDir, id } = await longRun('stop', 2);
  const s = hone(['stop', id, '--store', store]);
  assert.equal(s.code, 0, s.stderr);
  const r = await p.result;
  assert.equal(r.code, 1, 'a stopped run did not complete');
  assert.doesNotMatch(r.stderr, STACK);
  const rec = readJson(join(runDir, 'run.json'));
  assert.equal(rec.status, 'stopped', rec.message);
  const lines = metricLines(runDir);
  assert.ok(lines.length >= 2 && lines.length < 500);
  assert.equal(rec.epochsDone, lines.length);
  assert.match(rec.message, new RegExp(`stopped on request after round ${lines.length}$`));
  assert.deepEqual(lines.map((l) => l.epoch), lines.map((_, i) => i + 1), 'every round recorded once');
  // Six clients a round on two workers: a stop mostly lands mid-round, and that round leaves no line.
  assert.deepEqual(lines.map((l) => l.metrics.clients), lines.map(() => 6), 'only complete rounds are recorded');
  assert.deepEqual(rec.final, { ...lines.at(-1).metrics, tfjs_bytes: modelFileBytes(runDir) });
  const log = readFileSync(join(runDir, 'log.txt'), 'utf8');
  const cut = log.match(/round (\d+) cut short by a stop request \(\d+ of 6 clients reported, \d+ skipped\): discarded, the global model of round (\d+) is kept/);
  if (cut) assert.deepEqual([Number(cut[1]), Number(cut[2])], [lines.length + 1, lines.length]);
  assert.ok(existsSync(join(runDir, 'model', 'model.json')), 'the global model is saved');
  await waitFor(() => (clientWorkers(runDir).length === 0 ? true : undefined), 10_000, 'the client workers to exit');
});

test('hone stop before the first round completes: stopped, and no model saved (the initial weights are no trained model)', async () => {
  const store = join(dir, 'stop-early');
  // Ten clients a round on two workers, each training long: the stop lands while the first round's clients train.
  const p = honeAsync(['run', writeSpec(dir, 'stop-early', fedSpec('stop-early', { rounds: 5, localEpochs: 300, fraction: 1 })), '--store', store]);
  const runDir = await onlyRunDir(store);
  await waitFor(() => (readJson(join(runDir, 'run.json')).status === 'running' ? true : undefined), 60_000, 'the run to start');
  const id = runIds(store)[0];
  assert.equal(hone(['stop', id, '--store', store]).code, 0);
  await p.result;
  const rec = readJson(join(runDir, 'run.json'));
  assert.equal(rec.status, 'stopped', rec.message);
  assert.equal(rec.epochsDone, 0, 'stopped within round 1');
  assert.match(rec.message, /stopped on request after round 0; no round completed, so no model is saved$/);
  assert.ok(!existsSync(join(runDir, 'model')), 'no model folder');
  assert.equal(rec.final?.tfjs_bytes, undefined);
});

test('SIGKILL of a client worker: failed, with the last complete round\'s model saved and its metrics as final', async () => {
  const { p, runDir } = await longRun('client-kill', 2);
  const [victim] = clientWorkers(runDir);
  assert.ok(victim, 'a client worker is running');
  process.kill(victim, 'SIGKILL');
  const r = await p.result;
  assert.equal(r.code, 1);
  assert.doesNotMatch(r.stderr, STACK);
  const rec = readJson(join(runDir, 'run.json'));
  assert.equal(rec.status, 'failed');
  const lines = metricLines(runDir);
  assert.ok(lines.length >= 2);
  assert.deepEqual(lines.map((l) => l.epoch), lines.map((_, i) => i + 1));
  assert.match(rec.message, new RegExp(`^round ${lines.length + 1} failed: client worker \\d \\(pid ${victim}\\) was killed by SIGKILL.*; the global model of round ${lines.length} is saved, with its metrics as final$`, 's'));
  assert.equal(rec.epochsDone, lines.length);
  assert.deepEqual(rec.final, { ...lines.at(-1).metrics, tfjs_bytes: modelFileBytes(runDir) });
  assert.ok(existsSync(join(runDir, 'model', 'model.json')), 'the global model is saved');
  assert.ok(existsSync(join(runDir, 'model', 'weights.bin')));
  await waitFor(() => (clientWorkers(runDir).length === 0 ? true : undefined), 10_000, 'the other client workers to exit');
});

test('SIGKILL of the coordinator: crashed, the completed rounds kept, the client workers gone', async () => {
  const { p, runDir } = await longRun('kill', 2);
  const pid = readJson(join(runDir, 'run.json')).pid as number;
  assert.ok(clientWorkers(runDir).length > 0, 'client workers are running');
  process.kill(pid, 'SIGKILL');
  const r = await p.result;
  assert.equal(r.code, 1);
  const rec = readJson(join(runDir, 'run.json'));
  assert.equal(rec.status, 'crashed');
  assert.match(rec.message, /was killed by SIGKILL/);
  const lines = metricLines(runDir);
  assert.ok(lines.length >= 2);
  assert.deepEqual(lines.map((l) => l.epoch), lines.map((_, i) => i + 1));
  assert.ok(rec.epochsDone >= lines.length - 1, 'run.json lags metrics.jsonl by at most the round being recorded');
  await waitFor(() => (clientWorkers(runDir).length === 0 ? true : undefined), 10_000, 'the client workers to exit');
});

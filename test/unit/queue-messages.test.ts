// What crosses the queue, without Redis: URLs (parsed, passwords redacted), jobs (validated, a command
// refused, every problem named by its JSON path), artifacts (checksummed round trip, tampering and escapes refused),
// federated client jobs and the results that answer them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { coordinatorArtifactLimit, jobArtifactLimit, packArtifacts, parseQueueUrl, redactUrl, unpackArtifacts, validateJob } from '../../src/core/queue';
import { validateSpec } from '../../src/core/spec';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { digitsSpec } from '../helpers/cli';
import { checkClientResult, taskOfJob, validateFedJob } from '../../src/engine/federated/remote-job';
import { localConfig } from '../../src/engine/federated/round';
import type { ClientResult, ClientTask } from '../../src/engine/federated/protocol';
import { queueNode } from '../../src/extension/queue-model';
import { batcher } from '../../src/core/queue/batcher';
import { allowedDataDirs, checkDataPath } from '../../src/core/queue/data-dirs';
import { runTrainJob } from '../../src/core/queue/agent-jobs';
import { invocation } from '../../src/core/provenance';

test('queue URLs: host, port, db, user, password and TLS parsed; the password never shown', () => {
  const a = parseQueueUrl('rediss://hone:p%40ss@redis.example:6380/2');
  assert.deepEqual(a.connection, { host: 'redis.example', port: 6380, db: 2, username: 'hone', password: 'p@ss', tls: { servername: 'redis.example' } });
  assert.equal(a.redacted, 'rediss://hone:***@redis.example:6380/2');
  assert.equal(a.hasPassword, true);
  assert.deepEqual(parseQueueUrl('redis://10.0.0.5').connection, { host: '10.0.0.5', port: 6379, db: 0 });
  assert.equal(redactUrl('--queue=redis://:s3cret@h:1 and https://u:pw@x/y'), '--queue=redis://:***@h:1 and https://u:***@x/y');
  // A password holding '@' or '/': the user info runs to the last '@', so no part of it shows.
  assert.equal(redactUrl('redis://u:p@ss@host:1'), 'redis://u:***@host:1');
  assert.equal(parseQueueUrl('redis://u:p@ss@host:1').redacted, 'redis://u:***@host:1');
  // A password with a space (URL parsers accept it) is hidden whole, in the address and in its errors.
  assert.equal(parseQueueUrl('redis://:my pass@host:1').redacted, 'redis://:***@host:1');
  assert.equal(parseQueueUrl('redis://:my pass@host:1').connection.password, 'my pass');
  assert.throws(() => parseQueueUrl('redis://:my pass@host:1/x'), (e: Error) => !e.message.includes('my pass') && !e.message.includes('my_pass') && /redis:\/\/:\*\*\*@host:1\/x/.test(e.message));
  assert.throws(() => parseQueueUrl('redis://u:pa/ss@host:1'), (e: Error) => !e.message.includes('pa/ss') && !e.message.includes('ss@') && /redis:\/\/u:\*\*\*@host:1/.test(e.message));
  for (const [url, why] of [['http://h:1', /scheme http is not redis or rediss/], ['redis://:pw@h:1/x', /database 'x'/], ['nonsense', /not a URL/], ['redis://:pw@h:1?x=1', /query strings/]] as const) {
    assert.throws(() => parseQueueUrl(url), (e: Error) => why.test(e.message) && !e.message.includes('pw@'));
  }
  // A password in a query string (refused: it goes in the user info) is not repeated by the refusal.
  for (const url of ['redis://h:1?password=s3cret', 'redis://h:1/0?password=s3cret', 'redis://h:99999?password=s3cret', 'redis://h:1#s3cret']) {
    assert.throws(() => parseQueueUrl(url), (e: Error) => /--queue redis:\/\/h:\d+(\/0)?[?#]\*\*\*: /.test(e.message) && !e.message.includes('s3cret'));
  }
  // The command line recorded in run.json's provenance: a queue URL's password hidden, one with a space too.
  assert.deepEqual(invocation(['hone', 'run', '--queue', 'redis://:my pass@h:1', '--queue=rediss://u:a b@h:1/0', 'x@y']).command,
    ['hone', 'run', '--queue', 'redis://:***@h:1', '--queue=rediss://u:***@h:1/0', 'x@y']);
});

const goodJob = () => ({
  v: 1, type: 'train', runId: '20240131-142501-9f3a0c', name: 'n', experiment: 'e', overrides: [], epochsPlanned: 3,
  spec: validateSpec(digitsSpec('n'), { baseDir: '/' }).spec,
});

test('a job is checked before anything runs: a command is refused, a bad field is named by its path', () => {
  assert.equal(validateJob(goodJob()).runId, '20240131-142501-9f3a0c');
  assert.throws(() => validateJob({ ...goodJob(), command: ['rm', '-rf', '/'] }), /^JobRefused: job\.command: this agent runs Hone specs only/);
  assert.throws(() => validateJob({ v: 1, type: 'exec' }), /job\.command/);
  assert.throws(() => validateJob({ ...goodJob(), runId: '../../etc' }), /job\.runId: expected a run id/);
  assert.throws(() => validateJob({ ...goodJob(), v: 2 }), /job\.v: expected 1/);
  assert.equal(validateJob({ ...goodJob(), maxArtifactBytes: 1024 }).maxArtifactBytes, 1024);
  assert.throws(() => validateJob({ ...goodJob(), maxArtifactBytes: -1 }), /job\.maxArtifactBytes: expected an integer number of bytes > 0, found -1/);
  const bad = goodJob() as any;
  bad.spec.train.lr = -1;
  assert.throws(() => validateJob(bad), /job\.spec: train\.lr: expected/);
  assert.throws(() => validateJob({ ...goodJob(), sweep: { id: 3 } }), /job\.sweep: expected \{ id: string, trial: integer \}/);
  // What the spec asks of the machine is checked as a local run's is: the schema's ranges alone allow 10^11 weights.
  const huge = goodJob() as any;
  huge.spec.model = { type: 'mlp', layers: Array(200).fill(65536), activation: 'relu', dropout: 0 };
  assert.throws(() => validateJob(huge), /^JobRefused: job\.spec: model: expected a model of at most 33554432 weights \(128 MiB as float32\), found 854716448778 weights/);
  const generated = goodJob() as any;
  generated.spec.data = { ...generated.spec.data, source: 'regression', samples: 10_000_000, features: 10_000, informative: 5, noise: 0, bias: 0 };
  assert.throws(() => validateJob(generated), /^JobRefused: job\.spec: data\.samples: expected samples × features at most 50000000 values/);
  // A run's snapshot has its data path absolute: a relative one would be read from wherever the agent runs.
  const relative = goodJob() as any;
  relative.spec.data = { ...relative.spec.data, source: 'csv', path: '../../etc/passwd', target: 0 };
  assert.throws(() => validateJob(relative), /^JobRefused: job\.spec: data\.path: expected an absolute path, found "\.\.\/\.\.\/etc\/passwd"/);
});

test('an agent reads a job\'s data file only inside its --data-dir folders and its MNIST folders, links resolved', () => {
  const dir = makeTmpDir();
  try {
    const allowed = join(dir, 'datasets');
    mkdirSync(allowed);
    writeFileSync(join(allowed, 'iris.csv'), 'a,b\n1,2\n');
    writeFileSync(join(dir, 'secret.csv'), 'password,hunter2\n');
    // A link inside the allowed folder that leads out of it, and an allowed folder's sibling sharing its name's start.
    symlinkSync(join(dir, 'secret.csv'), join(allowed, 'link.csv'));
    mkdirSync(join(dir, 'datasets-2'));
    writeFileSync(join(dir, 'datasets-2', 'x.csv'), 'a\n1\n');
    const csv = (path: string) => ({ ...validateSpec(digitsSpec('d'), { baseDir: dir }).spec!, data: { source: 'csv', path, target: 0 } }) as any;
    const dirs = allowedDataDirs([allowed]);
    assert.doesNotThrow(() => checkDataPath(csv(join(allowed, 'iris.csv')), dirs));
    assert.doesNotThrow(() => checkDataPath(csv(join(allowed, 'not-yet.csv')), dirs), 'a missing file is judged by its folder (and then fails to load)');
    // A name that starts with two dots is inside its folder: only '..' itself, as a whole segment, leads out.
    writeFileSync(join(allowed, '..iris.csv'), 'a,b\n1,2\n');
    mkdirSync(join(allowed, '..old'));
    writeFileSync(join(allowed, '..old', 'iris.csv'), 'a,b\n1,2\n');
    assert.doesNotThrow(() => checkDataPath(csv(join(allowed, '..iris.csv')), dirs));
    assert.doesNotThrow(() => checkDataPath(csv(join(allowed, '..old', 'iris.csv')), dirs));
    for (const outside of [join(dir, 'secret.csv'), join(allowed, 'link.csv'), join(allowed, '..', 'secret.csv'), join(dir, 'datasets-2', 'x.csv'), '/proc/self/environ']) {
      assert.throws(() => checkDataPath(csv(outside), dirs), /^JobRefused: job\.spec\.data\.path: expected a file inside this agent's data folders \(.*hone agent --data-dir DIR adds one\)/, outside);
    }
    assert.throws(() => checkDataPath(csv(join(allowed, 'iris.csv')), allowedDataDirs([])), /JobRefused/, 'no --data-dir: no CSV file');
    // Refused before the spec's limit checks, which read a CSV's rows: a refusal over a model too large for
    // the file's columns would tell the coordinator how many a file outside the folders has.
    writeFileSync(join(dir, 'numbers.csv'), 'a,b,c\n1,2,3\n4,5,6\n7,8,9\n');
    const huge = { ...goodJob(), spec: csv(join(dir, 'numbers.csv')) };
    huge.spec.model = { type: 'mlp', layers: Array(200).fill(65536), activation: 'relu', dropout: 0 };
    assert.throws(() => validateJob(huge), /job\.spec: model: expected a model of at most/, 'the model alone is refused where the file may be read');
    assert.throws(() => runTrainJob({ data: huge } as any, { name: 'a', dataDirs: dirs } as any),
      (e: Error) => /^refused by agent a: job\.spec\.data\.path: expected a file inside this agent's data folders/.test(e.message) && !/weights/.test(e.message));
    assert.doesNotThrow(() => checkDataPath(validateSpec(digitsSpec('d'), { baseDir: dir }).spec!, allowedDataDirs([])), 'bundled data has no path');
  } finally {
    removeTmpDir(dir);
  }
});

test('artifacts: a run folder round-trips byte for byte; a changed byte, an escaping path or too many bytes are refused', () => {
  const dir = makeTmpDir();
  try {
    const from = join(dir, 'from');
    mkdirSync(join(from, 'model'), { recursive: true });
    writeFileSync(join(from, 'metrics.jsonl'), '{"epoch":1}\n');
    writeFileSync(join(from, 'model', 'weights.bin'), Buffer.from([0, 1, 2, 255]));
    writeFileSync(join(from, 'secret.txt'), 'not sent');
    const files = packArtifacts(from);
    assert.deepEqual(files.map((f) => f.path), ['metrics.jsonl', 'model/weights.bin']);
    const to = join(dir, 'to');
    mkdirSync(to);
    unpackArtifacts(to, files);
    assert.deepEqual(readFileSync(join(to, 'model', 'weights.bin')), Buffer.from([0, 1, 2, 255]));
    const tampered = files.map((f) => ({ ...f, base64: Buffer.from('{"epoch":2}\n').toString('base64') }));
    assert.throws(() => unpackArtifacts(to, tampered.slice(0, 1)), /files\[0\] \(metrics\.jsonl\): checksum mismatch/);
    assert.throws(() => unpackArtifacts(to, [{ ...files[0], path: '../../x' }]), /not a run file Hone accepts/);
    assert.throws(() => unpackArtifacts(to, files, 5), /exceed 5 bytes/);
    assert.throws(() => packArtifacts(from, jobArtifactLimit(5, undefined)), /over this agent's limit of 5 bytes \(--max-artifact-mb\)/);
    // The job carries the coordinator's limit: the smaller of the two applies, and the message names whose it is.
    assert.throws(() => packArtifacts(from, jobArtifactLimit(1000, 5)), /over the coordinator's limit of 5 bytes \(HONE_MAX_ARTIFACT_MB/);
    assert.equal(packArtifacts(from, jobArtifactLimit(5000, 1000)).length, 2);
    assert.equal(coordinatorArtifactLimit({}), 64 * 1024 * 1024);
    assert.equal(coordinatorArtifactLimit({ HONE_MAX_ARTIFACT_MB: '0.5' }), 512 * 1024);
    assert.throws(() => coordinatorArtifactLimit({ HONE_MAX_ARTIFACT_MB: 'lots' }), /HONE_MAX_ARTIFACT_MB: expected a number of megabytes > 0, found 'lots'/);
  } finally {
    removeTmpDir(dir);
  }
});

const fedJob = () => {
  // A federated spec writes no train.epochs or batchSize (its clients train federated.localEpochs at federated.batchSize).
  const { epochs: _epochs, batchSize: _batch, ...train } = digitsSpec('f').train;
  const spec = validateSpec({ ...digitsSpec('f'), train, federated: { clients: 4, fraction: 1, rounds: 2, attack: { type: 'signFlip', fraction: 0.25, scale: 3 } } }, { baseDir: '/' }).spec!;
  const ref = (bytes: number) => ({ sha256: 'ab'.repeat(32), bytes, run: '20240131-142501-9f3a0c' });
  return { v: 1, type: 'fedClient', runId: '20240131-142501-9f3a0c', round: 2, client: 3, n: 5, spec, data: { inputShape: [8, 8, 1], classes: 10 }, byzantine: true, maxSteps: 4, blobs: { weights: ref(40), x: ref(5 * 64 * 4), y: ref(20) } };
};

test('a federated client job is checked like a run job; how the client trains comes from the spec, not the queue', () => {
  const j = validateFedJob(fedJob());
  const task = taskOfJob(j, { weights: new Float32Array(10), x: new Float32Array(320), y: new Float32Array(5) });
  // The seed and steps the coordinator would give this client in this round (round.ts), the attack of the spec.
  const f = j.spec.federated!;
  assert.deepEqual(task.local, { ...localConfig(f, j.spec.train, j.spec.seed, 2, 3, 5, { kind: 'full' }), maxSteps: 4 });
  assert.deepEqual(task.attack, f.attack);
  assert.throws(() => validateFedJob({ ...fedJob(), command: ['sh'] }), /^JobRefused: job\.command: this agent runs Hone specs only/);
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ round: 0 }, /job\.round: expected an integer >= 1, found 0/],
    [{ runId: '../x' }, /job\.runId: expected a run id/],
    [{ data: { inputShape: [8, -8], classes: 10 } }, /job\.data\.inputShape: expected an array of 1 to 3 integers >= 1/],
    [{ maxSteps: 0.5 }, /job\.maxSteps: expected an integer >= 1/],
    [{ byzantine: 'yes' }, /job\.byzantine: expected true or false/],
    [{ blobs: { ...fedJob().blobs, weights: { sha256: 'x', bytes: 4 } } }, /job\.blobs\.weights: expected \{ sha256: 64 hex digits/],
    [{ blobs: { ...fedJob().blobs, x: { sha256: 'ab'.repeat(32), bytes: 12, run: '20240131-142501-9f3a0c' } } }, /job\.blobs\.x\.bytes: expected 1280 \(n x 64 float32 values\), found 12/],
    [{ blobs: { ...fedJob().blobs, y: { sha256: 'ab'.repeat(32), bytes: 20, run: '20240131-142501-000000' } } }, /job\.blobs\.y\.run: expected this job's run, 20240131-142501-9f3a0c, found '20240131-142501-000000'/],
    [{ spec: { ...fedJob().spec, federated: undefined } }, /job\.spec\.federated: expected a federated section/],
  ];
  for (const [patch, why] of cases) assert.throws(() => validateFedJob({ ...fedJob(), ...patch }), why);
  // Limits are judged on the job's own data: its spec's data file is the coordinator's, never read here.
  const dir = makeTmpDir();
  try {
    const wide = join(dir, 'wide.csv');
    const row = (label: number) => `${Array(5000).fill(1).join(',')},${label}`;
    writeFileSync(wide, `${Array.from({ length: 5000 }, (_, i) => `c${i}`).join(',')},y\n${row(0)}\n${row(1)}\n${row(0)}\n`);
    const job = fedJob() as any;
    job.spec.data = { source: 'csv', path: wide, target: 'y', split: job.spec.data.split, normalize: 'standard', normalizeTarget: false };
    // 8000 units: 0.6 M weights on the job's 64 inputs, 40 M (over the limit) on the file's 5000 columns.
    job.spec.model = { type: 'mlp', layers: [8000], activation: 'relu', dropout: 0 };
    assert.doesNotThrow(() => validateFedJob(job), 'sized on 64 inputs, not the file\'s 5000 columns');
    job.spec.model = { type: 'mlp', layers: [8192, 8192], activation: 'relu', dropout: 0 };
    assert.throws(() => validateFedJob(job), /^JobRefused: job\.spec\.model: expected a model of at most 33554432 weights \(128 MiB as float32\), found '67731466 weights'/);
  } finally {
    removeTmpDir(dir);
  }
});

test('an agent\'s client result is checked against its task before the round uses it', () => {
  const task = { round: 2, client: 3, n: 5, weights: new Float32Array(6) } as ClientTask;
  const sizes = [4, 2];
  const ok = { round: 2, client: 3, n: 5, steps: 1, loss: 1, accuracy: 0.5, globalAccuracy: 0.4, globalLoss: 1.2, ms: 3, payload: { kind: 'dense', values: new Float32Array(6) } } as ClientResult;
  assert.equal(checkClientResult(ok, task, sizes), ok);
  const bad: [Partial<ClientResult> | Record<string, unknown>, RegExp][] = [
    [{ client: 4 }, /client 3 in round 2: the agent's result is for another task/],
    [{ loss: 'low' }, /has no number loss/],
    [{ payload: { kind: 'dense', values: new Float32Array(5) } }, /update is malformed \(dense values: expected 6 float32\)/],
    [{ payload: { kind: 'topk', size: 6, indices: Uint32Array.of(1, 9), values: new Float32Array(2) } }, /top-k: expected matching uint32 indices < 6/],
    [{ payload: { kind: 'q8', lo: new Float32Array(1), hi: new Float32Array(2), codes: new Uint8Array(6) } }, /q8: expected 6 codes and 2 ranges/],
    [{ residual: new Float64Array(6) }, /residual is malformed/],
  ];
  for (const [patch, why] of bad) assert.throws(() => checkClientResult({ ...ok, ...patch } as ClientResult, task, sizes), why);
});

test('the Runs tree\'s Queue node: agents with their jobs, or "unreachable" when Redis does not answer', () => {
  const agent = { name: 'gpu-box', host: 'h', backend: 'tensorflow-gpu', concurrency: 2, tags: ['gpu'], jobs: ['20240131-142501-9f3a0c'], started: '', seen: '', versions: {} };
  const up = queueNode('redis://:***@q:6379', [agent, { ...agent, name: 'idle-box', jobs: [], tags: [] }]);
  assert.equal(up.description, '2 agents · 1 busy');
  assert.deepEqual(up.children!.map((c) => c.description), ['tensorflow-gpu · 1/2 running · #gpu', 'tensorflow-gpu · idle']);
  const down = queueNode('redis://:***@q:6379', undefined);
  assert.equal(down.description, 'unreachable');
  assert.deepEqual([down.children, down.icon], [[], { id: 'warning' }]);
  assert.match(String(down.tooltip), /Redis does not answer: runs on this queue wait for it, and are recorded crashed after \$HONE_QUEUE_TIMEOUT_S/);
});

test('an agent\'s metric lines go out in batches: the first at once, then at most one batch per interval, the rest on flush', (t) => {
  // A mocked clock (timers and Date together): one line every 10 ms, and the batches fall where the
  // interval puts them, however loaded the machine that runs the test.
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 });
  const sent: { at: number; items: number[] }[] = [];
  const b = batcher<number>((items) => sent.push({ at: Date.now(), items }), 100);
  b.push(1);
  assert.deepEqual(sent.map((s) => s.items), [[1]], 'the first line at once: a run shows its first epoch without delay');
  for (let i = 2; i <= 40; i++) {
    b.push(i);
    t.mock.timers.tick(10);
  }
  b.flush();
  assert.deepEqual(sent.flatMap((s) => s.items), Array.from({ length: 40 }, (_, i) => i + 1), 'every line once, in order');
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
  assert.deepEqual(sent, [
    { at: 0, items: [1] }, { at: 100, items: range(2, 11) }, { at: 200, items: range(12, 21) }, { at: 300, items: range(22, 31) },
    { at: 390, items: range(32, 40) },
  ], 'one batch per 100 ms, the last on flush');
  const batches = sent.length;
  b.flush();
  assert.equal(sent.length, batches, 'a flush with nothing waiting sends nothing');
});

// Federated clients on queue agents (engine/federated/queue-runner.ts, agent-clients.ts): a real redis-server
// with a password, two real `hone agent` processes and the real CLI as coordinator. The same federation
// trained here and on the agents records the same rounds to the last bit; a round deadline drops the
// clients of agents that do not answer and takes their jobs off the queue; a client job carrying a
// command, or naming a blob whose bytes were changed, is refused; an agent killed mid-client loses nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { makeTmpDir } from '../helpers/tmp';
import { hone, honeAsync, readJson, ROOT, waitFor, writeSpec } from '../helpers/cli';
import { RedisServer } from '../helpers/redis';
import { AgentProcesses, tearDownQueue } from '../helpers/agents';
import { putBlob } from '../../src/core/queue/blobs';
import { validateSpec } from '../../src/core/spec';

const PASSWORD = 'fed-queue-secret-91c2';

let dir: string;
let redis: RedisServer;
const agents = new AgentProcesses();

before(async () => {
  dir = makeTmpDir();
  redis = await RedisServer.start({ dir, password: PASSWORD });
  await Promise.all(['agent-a', 'agent-b'].map((name) => agents.start(name, redis.url())));
});

after(() => tearDownQueue(agents, redis, dir));

/** Four digits clients, each every round, top-k updates with error feedback (so residuals travel too). */
const fedSpec = (name: string, federated: Record<string, unknown> = {}) => ({
  name, seed: 5, threads: 1,
  data: { source: 'digits', split: { train: 0.6, val: 0.2, test: 0.2 }, normalize: 'scale' },
  model: { type: 'mlp', layers: [16] },
  train: { optimizer: 'sgd', lr: 0.1 },
  federated: { clients: 4, fraction: 1, rounds: 3, localEpochs: 2, batchSize: 20, compression: { type: 'topk', ratio: 0.2, errorFeedback: true }, ...federated },
});

const onlyRun = (store: string) => {
  const [id] = readdirSync(join(store, 'runs'));
  return { rec: readJson(join(store, 'runs', id, 'run.json')), dir: join(store, 'runs', id) };
};
const rounds = (runDir: string) => readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const storeText = (d: string): string => readdirSync(d, { withFileTypes: true })
  .map((e) => (e.isDirectory() ? storeText(join(d, e.name)) : readFileSync(join(d, e.name), 'latin1'))).join('\n');

test('a federation whose clients train on 2 agents records the same rounds as the same spec trained here', async () => {
  const spec = writeSpec(dir, 'same', fedSpec('same'));
  const here = hone(['run', spec, '--store', join(dir, 'here')]);
  assert.equal(here.code, 0, here.stderr + here.stdout);
  const remote = await honeAsync(['run', spec, '--store', join(dir, 'remote'), '--queue', redis.url()]).result;
  assert.equal(remote.code, 0, remote.stderr + remote.stdout);
  const [a, b] = [onlyRun(join(dir, 'here')), onlyRun(join(dir, 'remote'))];
  assert.equal(b.rec.kind, 'federated');
  assert.equal(b.rec.status, 'completed');
  const strip = (lines: any[]) => lines.map(({ time: _t, ...line }) => line);
  const [ra, rb] = [rounds(a.dir), rounds(b.dir)];
  assert.equal(rb.length, 3);
  assert.ok(rb[2].metrics.test_accuracy > rb[0].metrics.test_accuracy - 0.05 && rb[0].metrics.upload_bytes > 0, 'the rounds trained and uploaded');
  assert.deepEqual(strip(rb), strip(ra), 'every round\'s metrics equal, to the last bit');
  // 12 client jobs (4 clients x 3 rounds), spread over the agents; the log says which trained how many.
  const log = readFileSync(join(b.dir, 'log.txt'), 'utf8');
  assert.match(log, /clients on queue agents at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+: one job per client and round/);
  const perAgent = log.match(/clients trained per queue agent: (.*)/)?.[1] ?? '';
  assert.equal([...perAgent.matchAll(/agent-[ab] (\d+)/g)].reduce((n, m) => n + Number(m[1]), 0), 12, log);
  assert.match(b.rec.backend.threadsWhy, /the clients train on the agents of redis:\/\/:\*\*\*@/);
  assert.ok(!storeText(join(dir, 'remote')).includes(PASSWORD), 'the password is nowhere in the store');
  const r = new Redis({ host: '127.0.0.1', port: redis.port, password: PASSWORD });
  try {
    assert.deepEqual(await r.keys(`hone:blob:${b.rec.id}:*`), [], 'the run\'s weights, data and updates are gone from Redis');
  } finally {
    r.disconnect();
  }
});

test('with a round deadline, clients whose agents do not answer are dropped: the rounds end, the model stays, the queue is emptied', async () => {
  const spec = writeSpec(dir, 'late', fedSpec('late', { rounds: 2, deadline: 1.5 }));
  await Promise.all(['agent-a', 'agent-b'].map((name) => agents.signal(name, 'SIGSTOP')));
  try {
    const r = await honeAsync(['run', spec, '--store', join(dir, 'late'), '--queue', redis.url()]).result;
    assert.equal(r.code, 0, r.stderr + r.stdout);
  } finally {
    await Promise.all(['agent-a', 'agent-b'].map((name) => agents.signal(name, 'SIGCONT')));
  }
  const run = onlyRun(join(dir, 'late'));
  assert.equal(run.rec.status, 'completed');
  const lines = rounds(run.dir);
  assert.deepEqual(lines.map((l) => [l.metrics.clients, l.metrics.late_clients]), [[0, 4], [0, 4]]);
  assert.deepEqual(lines.map((l) => l.metrics.download_bytes), [0, 0], 'no agent took a job: no client downloaded the model');
  assert.equal(lines[1].metrics.test_loss, lines[0].metrics.test_loss, 'no client reported: the global model did not move');
  assert.match(readFileSync(join(run.dir, 'log.txt'), 'utf8'), /round 1: 4 of 4 clients missed the 1\.5 s deadline and count as dropped/);
  const queue = new Queue('fed', { connection: { host: '127.0.0.1', port: redis.port, password: PASSWORD }, prefix: 'hone' });
  try {
    const left = (await queue.getJobs(['waiting', 'active'])).filter((j) => j.id?.startsWith(run.rec.id));
    assert.deepEqual(left.map((j) => j.id), [], 'the late clients\' jobs were taken off the queue');
  } finally {
    await queue.close();
  }
});

test('a round after one where no client reported starts from the same weights (the same blob), and its clients train', async () => {
  const store = join(dir, 'unmoved');
  const spec = writeSpec(dir, 'unmoved', fedSpec('unmoved', { rounds: 2, deadline: 8 }));
  await Promise.all(['agent-a', 'agent-b'].map((name) => agents.signal(name, 'SIGSTOP')));
  const run = honeAsync(['run', spec, '--store', store, '--queue', redis.url()]);
  try {
    // Round 1 passes its deadline with the agents paused: the global model does not move.
    const lines = () => (existsSync(join(store, 'runs')) ? readdirSync(join(store, 'runs')).map((id) => join(store, 'runs', id, 'metrics.jsonl')).filter((f) => existsSync(f)) : []);
    await waitFor(() => lines().find((f) => readFileSync(f, 'utf8').trim()), 60_000, 'round 1');
  } finally {
    await Promise.all(['agent-a', 'agent-b'].map((name) => agents.signal(name, 'SIGCONT')));
  }
  const r = await run.result;
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const { rec, dir: runDir } = onlyRun(store);
  assert.equal(rec.status, 'completed', rec.message);
  assert.deepEqual(rounds(runDir).map((l) => [l.metrics.clients, l.metrics.late_clients]), [[0, 4], [4, 0]]);
});

test('a client job carrying a command, or naming a blob whose bytes changed, is refused by the agent', async () => {
  const connection = { host: '127.0.0.1', port: redis.port, password: PASSWORD };
  const queue = new Queue('fed', { connection, prefix: 'hone' });
  const r = new Redis(connection);
  try {
    const runId = '20260101-000000-abcdef';
    const weights = await putBlob(r, runId, Buffer.alloc(16));
    const x = await putBlob(r, runId, Buffer.alloc(64 * 4));
    const y = await putBlob(r, runId, Buffer.alloc(4, 1));
    // The same size, other bytes: what a tampered store or a torn write would leave.
    await r.set(`hone:blob:${runId}:${y.sha256}`, Buffer.alloc(4, 2));
    const { spec } = validateSpec(fedSpec('evil'), { baseDir: ROOT });
    const base = { v: 1, type: 'fedClient', runId, round: 1, client: 0, n: 1, spec, data: { inputShape: [64], classes: 10 }, byzantine: false, blobs: { weights, x, y } };
    const jobs = [
      await queue.add('client', { ...base, command: ['sh', '-c', 'touch /tmp/pwned'] }, { jobId: 'evil-cmd' }),
      await queue.add('client', base, { jobId: 'evil-blob' }),
    ];
    const reasons = [];
    for (const job of jobs) {
      for (const end = Date.now() + 30_000; Date.now() < end && !['failed', 'completed'].includes(await job.getState()); await new Promise((res) => setTimeout(res, 100)));
      const done = (await queue.getJob(job.id!))!;
      assert.equal(await done.getState(), 'failed');
      reasons.push(done.failedReason);
    }
    assert.match(reasons[0], /^refused by agent agent-[ab]: job\.command: this agent runs Hone specs only/);
    assert.match(reasons[1], /the client labels: checksum mismatch/);
  } finally {
    r.disconnect();
    await queue.close();
  }
});

test('a federated spec swept on a queue is refused before anything is recorded, with the way to do it', () => {
  const spec = writeSpec(dir, 'fedsweep', { ...fedSpec('fedsweep'), sweep: { parameters: { 'train.lr': { type: 'categorical', values: [0.05, 0.1] } }, objectives: [{ metric: 'val_accuracy', direction: 'maximize' }], sampler: { type: 'grid' } } });
  const r = hone(['sweep', spec, '--store', join(dir, 'fedsweep'), '--queue', redis.url()]);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /federated: a federated spec's trials run here, not on queue agents: sweep it without a queue \(`hone run <spec> --queue URL` trains one federation's clients on the agents\)/);
  assert.ok(!existsSync(join(dir, 'fedsweep', 'sweeps')), 'no sweep recorded');
});

test('an agent SIGKILLed while it trains a client: the job goes to the other agent and the round ends as it would here', async () => {
  const spec = writeSpec(dir, 'killed', fedSpec('killed', { clients: 2, rounds: 1, localEpochs: 150, compression: undefined }));
  const here = hone(['run', spec, '--store', join(dir, 'killed-here')]);
  assert.equal(here.code, 0, here.stderr + here.stdout);
  const run = honeAsync(['run', spec, '--store', join(dir, 'killed-remote'), '--queue', redis.url()]);
  const r = new Redis({ host: '127.0.0.1', port: redis.port, password: PASSWORD });
  // The agent whose registration lists a client job of this run (it registers again as each job starts).
  let killed: string | undefined;
  try {
    for (const end = Date.now() + 60_000; !killed && Date.now() < end; await new Promise((res) => setTimeout(res, 50))) {
      const regs = await Promise.all(['agent-a', 'agent-b'].map(async (name) => ({ name, info: JSON.parse((await r.get(`hone:agent:${name}`)) ?? '{}') })));
      killed = regs.find((x) => (x.info.jobs ?? []).some((j: string) => /-r1-c\d$/.test(j)))?.name;
    }
  } finally {
    r.disconnect();
  }
  assert.ok(killed, 'an agent took a client job');
  await agents.signal(killed, 'SIGKILL');
  const res = await run.result;
  assert.equal(res.code, 0, res.stderr + res.stdout);
  const [a, b] = [onlyRun(join(dir, 'killed-here')), onlyRun(join(dir, 'killed-remote'))];
  const strip = (lines: any[]) => lines.map(({ time: _t, ...line }) => line);
  assert.deepEqual(strip(rounds(b.dir)), strip(rounds(a.dir)), 'the round is the one trained here');
  const log = readFileSync(join(b.dir, 'log.txt'), 'utf8');
  const survivor = killed === 'agent-a' ? 'agent-b' : 'agent-a';
  // Both clients came from the survivor: the killed agent's job ran again there, and counted once.
  assert.match(log, new RegExp(`clients trained per queue agent: ${survivor} 2$`, 'm'), log);
});

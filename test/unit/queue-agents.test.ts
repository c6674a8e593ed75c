// Queue agents end to end (core/queue): a real redis-server with a password, real `hone agent` processes,
// two of them in their own network namespaces reaching Redis over veth links (where namespaces cannot be
// made they run on loopback, and the test says so loudly), and the real CLI as coordinator. A sweep on two
// agents, an agent SIGKILLed mid-trial, a coordinator SIGKILLed and resumed across a Redis restart, `hone
// stop` reaching an agent, a wrong password, a job carrying a command.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { digitsSpec, hone, honeAsync, readJson, waitFor, writeSpec } from '../helpers/cli';
import { RedisServer } from '../helpers/redis';
import { Namespaces, type Netns } from '../helpers/netns';
import { AgentProcesses } from '../helpers/agents';

const PASSWORD = 'q-test-secret-7f3a';

let dir: string;
let redis: RedisServer;
let ns: Namespaces | undefined;
const agents = new AgentProcesses();
const startAgent = (name: string, where?: Netns, extra: string[] = []) => agents.start(name, redis.url(where?.rootAddress), where, extra);
const killAgent = (name: string, signal: NodeJS.Signals) => agents.signal(name, signal);

before(async () => {
  dir = makeTmpDir();
  try {
    ns = Namespaces.make(2);
  } catch (e) {
    process.stderr.write(`\n*** queue-agents: SKIPPING network namespaces, agents run on loopback instead: ${(e as Error).message}\n\n`);
  }
  redis = await RedisServer.start({ dir, password: PASSWORD, appendonly: true, bind: ns?.list.map((n) => n.rootAddress) });
  await Promise.all([startAgent('agent-a', ns?.list[0]), startAgent('agent-b', ns?.list[1])]);
});

after(async () => {
  try {
    coordinators.forEach((c) => c.exitCode === null && c.kill('SIGKILL'));
    await agents.killAll();
    await redis?.stop();
  } finally {
    ns?.remove();
    removeTmpDir(dir);
  }
});

const sweepSpec = (name: string, epochs: number, lrs: number[]) => ({
  ...digitsSpec(name, { epochs, batchSize: 16 }),
  sweep: {
    parameters: { 'train.lr': { type: 'categorical', values: lrs } },
    objectives: [{ metric: 'val_accuracy', direction: 'maximize' }], sampler: { type: 'grid' }, parallel: lrs.length,
  },
});

const sweepOf = (store: string) => {
  const root = join(store, 'sweeps');
  const ids = existsSync(root) ? readdirSync(root) : [];
  const file = ids.length === 1 ? join(root, ids[0], 'sweep.json') : undefined;
  return file && existsSync(file) ? readJson(file) : undefined;
};
const runOf = (store: string, id: string) => readJson(join(store, 'runs', id, 'run.json'));
/** Every run of the store with a readable run.json (a folder is made before its run.json). */
const runsIn = (store: string): any[] => (existsSync(join(store, 'runs')) ? readdirSync(join(store, 'runs')) : []).flatMap((id) => {
  try {
    return [runOf(store, id)];
  } catch {
    return [];
  }
});
/** Coordinators the tests start: killed at the end whatever happened (one waiting for a stopped Redis would wait forever). */
const coordinators: ChildProcess[] = [];
const coordinate = (args: string[], env: Record<string, string> = {}) => {
  const c = honeAsync(args, undefined, env);
  coordinators.push(c.child);
  return c;
};
const epochsIn = (store: string, id: string) =>
  readFileSync(join(store, 'runs', id, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).epoch);
/** A job's state in the runs queue, as BullMQ reports it. */
async function jobState(id: string): Promise<string> {
  const queue = new Queue('runs', { connection: { host: '127.0.0.1', port: redis.port, password: PASSWORD }, prefix: 'hone' });
  try {
    return (await (await queue.getJob(id))?.getState()) ?? 'no such job';
  } finally {
    await queue.close();
  }
}
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
/** Every file under the store, as text: none may hold the queue's password. */
const storeText = (d: string): string => readdirSync(d, { withFileTypes: true })
  .map((e) => (e.isDirectory() ? storeText(join(d, e.name)) : readFileSync(join(d, e.name), 'latin1'))).join('\n');

test('a sweep of 4 trials on 2 agents ends with exactly 4 completed trials, each run recorded here with its agent', async () => {
  const store = join(dir, 'four');
  const spec = writeSpec(dir, 'four', sweepSpec('four', 3, [0.003, 0.01, 0.03, 0.1]));
  const r = await coordinate(['sweep', spec, '--store', store, '--queue', redis.url()]).result;
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const rec = sweepOf(store);
  assert.deepEqual(rec.trials.map((t: any) => t.state), ['completed', 'completed', 'completed', 'completed']);
  assert.equal(readdirSync(join(store, 'runs')).length, 4);
  assert.equal(rec.queue, `redis://:***@127.0.0.1:${redis.port}`);
  const names = new Set<string>();
  for (const t of rec.trials) {
    const run = runOf(store, t.runId);
    assert.equal(run.status, 'completed');
    assert.equal(run.final.val_accuracy, t.values[0]);
    assert.deepEqual(epochsIn(store, t.runId), [1, 2, 3]);
    assert.ok(existsSync(join(store, 'runs', t.runId, 'model', 'model.json')), 'the model came back');
    assert.match(readFileSync(join(store, 'runs', t.runId, 'log.txt'), 'utf8'), /backend/);
    names.add(run.remote.agent.name);
  }
  assert.deepEqual([...names].sort(), ['agent-a', 'agent-b'], 'both agents trained');
  assert.ok(!storeText(store).includes(PASSWORD), 'no file in the store holds the password');
  const ls = hone(['ls', '--store', store]);
  assert.match(ls.stdout, /status\s+backend\s+agent\s+epochs/);
  assert.equal((ls.stdout.match(/completed\s+\S+\s+agent-[ab]\s+3\/3/g) ?? []).length, 4, ls.stdout);
  const show = hone(['show', rec.trials[0].runId, '--store', store]);
  assert.match(show.stdout, new RegExp(`agent     agent-[ab] on \\S+, queue redis://:\\*\\*\\*@127\\.0\\.0\\.1:${redis.port}`));
  const registered = JSON.parse(hone(['agent', 'ls', '--queue', redis.url(), '--json']).stdout);
  assert.deepEqual(registered.map((a: any) => a.name), ['agent-a', 'agent-b']);
  assert.ok(registered.every((a: any) => a.backend && a.concurrency === 1 && a.jobs.length === 0));
});

test('an agent SIGKILLed mid-trial: its trial re-runs on the other agent and is recorded completed exactly once', async () => {
  const store = join(dir, 'kill-agent');
  const spec = writeSpec(dir, 'kill-agent', sweepSpec('kill-agent', 300, [0.01, 0.03]));
  const sweep = coordinate(['sweep', spec, '--store', store, '--queue', redis.url()]);
  // 300 epochs: a trial lasts several seconds, long enough to be caught mid-way even under load (20 took about a second on a
  // quiet machine; at 100 a fresh-clone make test once missed every trial running).
  // A run that has trained an epoch or two, on whichever agent took it (under load one agent may take the
  // first job and finish it before the other has picked up its own); its agent is killed.
  const running = await waitFor(() => runsIn(store).find((x) => ['agent-a', 'agent-b'].includes(x.remote?.agent?.name) && x.status === 'running' && x.epochsDone >= 1), 60_000, 'a trial running on an agent');
  const [victim, killed] = [running.id as string, running.remote.agent.name as string];
  const other = killed === 'agent-a' ? 'agent-b' : 'agent-a';
  await killAgent(killed, 'SIGKILL');
  const r = await sweep.result;
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const rec = sweepOf(store);
  assert.deepEqual(rec.trials.map((t: any) => t.state), ['completed', 'completed']);
  assert.ok(rec.trials.every((t: any) => !t.interrupted), 'no trial was re-run as a new run');
  const run = runOf(store, victim);
  assert.equal(run.status, 'completed');
  assert.equal(run.remote.agent.name, other, 'the other agent finished it');
  assert.deepEqual(epochsIn(store, victim), range(300), 'each epoch recorded once, from the attempt that finished');
  // The killed agent's training worker ended with it (no orphan training on).
  await waitFor(() => readdirSync('/proc').filter((p) => /^\d+$/.test(p)).every((p) => {
    try {
      return !readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(victim);
    } catch {
      return true;
    }
  }) || undefined, 10_000, 'the killed agent\'s worker to exit');
  await startAgent('agent-c', ns?.list[killed === 'agent-a' ? 0 : 1]);
});

test('a coordinator SIGKILLed mid-sweep, then Redis restarted: hone sweep resume reattaches and completes every trial once', async () => {
  const store = join(dir, 'kill-coordinator');
  const spec = writeSpec(dir, 'kill-coordinator', sweepSpec('kill-coordinator', 12, [0.01, 0.02, 0.03]));
  const first = coordinate(['sweep', spec, '--store', store, '--queue', redis.url()]);
  const started = await waitFor(() => {
    const rec = sweepOf(store);
    return rec?.trials.length === 3 && rec.trials.every((t: any) => t.runId) && runsIn(store).some((x) => x.status === 'running') ? rec : undefined;
  }, 60_000, 'three trials enqueued, one running');
  first.child.kill('SIGKILL');
  await first.result;
  // A trial finishes while no coordinator listens: its result waits in Redis, which then restarts from its append-only file.
  const done = () => [...agents.all.values()].map((a) => (a.out().match(/ done$/gm) ?? []).length).reduce((x, y) => x + y, 0);
  const before = done();
  await waitFor(() => (done() > before ? true : undefined), 60_000, 'a job to finish with no coordinator');
  await redis.restart();
  // Its URL in sweep.json has no password: resuming asks for the queue rather than training here.
  const local = hone(['sweep', 'resume', started.id, '--store', store]);
  assert.equal(local.code, 2);
  assert.match(local.stderr, /runs its trials on redis:\/\/:\*\*\*@127\.0\.0\.1:\d+: resume it with its queue \(--queue URL or HONE_QUEUE/);
  const r = await coordinate(['sweep', 'resume', started.id, '--store', store, '--queue', redis.url()]).result;
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const rec = sweepOf(store);
  assert.deepEqual(rec.trials.map((t: any) => t.state), ['completed', 'completed', 'completed']);
  assert.deepEqual(rec.trials.map((t: any) => t.runId), started.trials.map((t: any) => t.runId), 'the same runs, reattached');
  for (const t of rec.trials) {
    assert.equal(runOf(store, t.runId).status, 'completed');
    assert.deepEqual(epochsIn(store, t.runId), range(12));
  }
  assert.equal(readdirSync(join(store, 'runs')).length, 3);
});

test('hone stop reaches the agent training a run: it stops after its batch and its model comes back', async () => {
  const store = join(dir, 'stop');
  // Long enough that the stop always lands first: 200 epochs of digits ended in about 10 s on a busy fresh clone, before `hone stop` came.
  const spec = writeSpec(dir, 'stop', digitsSpec('stop', { epochs: 5000, batchSize: 16 }));
  // The queue given in HONE_QUEUE alone (README: it keeps the password out of the process list).
  const run = coordinate(['run', spec, '--store', store], { HONE_QUEUE: redis.url() });
  const id = await waitFor(() => runsIn(store).find((r) => r.epochsDone >= 2)?.id, 60_000, 'the run to train');
  const s = hone(['stop', id, '--store', store]);
  assert.equal(s.code, 0, s.stderr + s.stdout);
  assert.match(s.stdout, /stopped/);
  await run.result;
  const rec = runOf(store, id);
  assert.equal(rec.status, 'stopped');
  assert.ok(rec.epochsDone < 5000);
  assert.ok(existsSync(join(store, 'runs', id, 'model', 'model.json')));
  assert.match(rec.remote?.queue ?? '', /^redis:\/\/:\*\*\*@127\.0\.0\.1:\d+/, 'it ran on the queue, recorded redacted');
});

test('the coordinator\'s artifact limit travels with the job: an agent refuses a run\'s files over it, naming it', async () => {
  const store = join(dir, 'artifact-limit');
  const spec = writeSpec(dir, 'artifact-limit', digitsSpec('artifact-limit', { epochs: 2, batchSize: 16 }));
  const bad = await honeAsync(['run', spec, '--store', store], undefined, { HONE_QUEUE: redis.url(), HONE_MAX_ARTIFACT_MB: 'lots' }).result;
  assert.equal(bad.code, 2, bad.stderr);
  assert.match(bad.stderr, /HONE_MAX_ARTIFACT_MB: expected a number of megabytes > 0, found 'lots'/);
  // 1 KB: a digits model's weights alone are more. The agents' own limit is the default 64 MB.
  const run = coordinate(['run', spec, '--store', store], { HONE_QUEUE: redis.url(), HONE_MAX_ARTIFACT_MB: '0.001' });
  await run.result;
  const [rec] = runsIn(store);
  assert.equal(rec.status, 'failed', JSON.stringify(rec));
  assert.match(rec.message, /over the coordinator's limit of 1048 bytes \(HONE_MAX_ARTIFACT_MB where the run was started\)/);
});

test('Ctrl-C twice: the run is recorded stopped at once, and the stop request still reaches its agent', async () => {
  const store = join(dir, 'twice');
  // Far more epochs than any machine trains in the test's time: a run that finished before the stops
  // (its progress seen late under load) once made this test read 'completed'.
  const spec = writeSpec(dir, 'twice', digitsSpec('twice', { epochs: 100000, batchSize: 16 }));
  const run = coordinate(['run', spec, '--store', store, '--queue', redis.url()]);
  let said = '';
  run.child.stdout!.on('data', (b) => (said += b));
  run.child.stderr!.on('data', (b) => (said += b));
  // Under a fresh clone's full load an agent has once taken over a minute to start it: a wider wait, and, if it
  // passes, what the coordinator and the agents said, the run's record and its job's state in the queue.
  const id = await waitFor(() => runsIn(store).find((r) => r.epochsDone >= 2 && r.status === 'running')?.id, 150_000, 'the run to train').catch(async (e: Error) => {
    const rec = runsIn(store)[0];
    const state = rec ? await jobState(rec.id) : 'no run';
    const agentsSaid = [...agents.all.keys()].map((n) => `${n}: ${agents.out(n).slice(-600)}`).join(' | ');
    throw new Error(`${e.message}; run: ${rec ? `${rec.status}, ${rec.epochsDone} epochs` : 'none'}; job: ${state}; coordinator (exit ${run.child.exitCode}): ${said.slice(-600)}; agents: ${agentsSaid}`);
  });
  // Every agent paused (an earlier test replaced a killed one), so the second comes before an agent can answer the first.
  const live = [...agents.all.keys()];
  await Promise.all(live.map((name) => killAgent(name, 'SIGSTOP')));
  try {
    run.child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 500));
    run.child.kill('SIGINT');
    await run.result;
  } finally {
    await Promise.all(live.map((name) => killAgent(name, 'SIGCONT')));
  }
  assert.equal(runOf(store, id).status, 'stopped');
  assert.match(runOf(store, id).message, /^asked to stop twice/);
  // The agent reads the stop request when it next reaches the queue: its job ends long before 100000 epochs,
  // and, nobody being left to collect its result, the agent removes it, with the stop request.
  const queue = new Queue('runs', { connection: { host: '127.0.0.1', port: redis.port, password: PASSWORD }, prefix: 'hone' });
  try {
    let job = await queue.getJob(id);
    for (const end = Date.now() + 60_000; Date.now() < end && job; await new Promise((r) => setTimeout(r, 200))) job = await queue.getJob(id);
    assert.equal(job, undefined, 'the agent stopped the run, ended its job and removed it');
    const client = new Redis({ host: '127.0.0.1', port: redis.port, password: PASSWORD });
    assert.equal(await client.exists(`hone:stop:${id}`).finally(() => client.disconnect()), 0, 'the stop request went with it');
    const said = [...agents.all.keys()].map((n) => agents.out(n)).join('\n');
    assert.match(said, new RegExp(`job ${id}: its submitter recorded it stopped and left; removed from the queue`));
  } finally {
    await queue.close();
  }
});

test('a wrong password is refused with a clear message that does not repeat it', () => {
  const wrong = redis.url('127.0.0.1', 'not-the-password');
  for (const args of [['agent', '--queue', wrong], ['agent', 'ls', '--queue', wrong], ['sweep', join(dir, 'four.hone.json'), '--queue', wrong, '--store', join(dir, 'x')]]) {
    const r = hone(args);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /redis:\/\/:\*\*\*@127\.0\.0\.1:\d+ refused the user name or password \(WRONGPASS/);
    assert.ok(!r.stderr.includes('not-the-password'));
  }
});

test('hone agent ls skips a registration that is not an agent\'s (another version\'s, a stray value) and lists the rest', async () => {
  const r = new Redis({ port: redis.port, password: PASSWORD });
  try {
    await r.set('hone:agent:zz-old', JSON.stringify({ name: 'zz-old', host: 'h' }), 'EX', 60);
    await r.set('hone:agent:zz-junk', '5', 'EX', 60);
    const ls = hone(['agent', 'ls', '--queue', redis.url()]);
    assert.equal(ls.code, 0, ls.stderr);
    assert.match(ls.stdout, /^agent +host +backend/m);
    assert.ok(!ls.stdout.includes('zz-'), ls.stdout);
  } finally {
    await r.del('hone:agent:zz-old', 'hone:agent:zz-junk');
    r.disconnect();
  }
});

test('a job carrying a command is refused by an agent (no retry, nothing run), and the agent goes on', async () => {
  const marker = join(dir, 'pwned');
  const queue = new Queue('runs', { connection: { host: '127.0.0.1', port: redis.port, password: PASSWORD }, prefix: 'hone' });
  try {
    const job = await queue.add('train', { v: 1, type: 'exec', command: ['touch', marker] }, { jobId: 'evil-1', attempts: 3 });
    const state = await (async () => {
      for (const end = Date.now() + 30_000; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
        const s = await job.getState();
        if (s === 'failed' || s === 'completed') return s;
      }
      return 'timeout';
    })();
    assert.equal(state, 'failed');
    const failed = (await queue.getJob('evil-1'))!;
    const alive = [...agents.all].filter(([, a]) => a.child.exitCode === null && a.child.signalCode === null).map(([name]) => name);
    assert.match(failed.failedReason, new RegExp(`^refused by agent (${alive.join('|')}): job\\.command: this agent runs Hone specs only`));
    assert.equal(failed.attemptsMade, 1, 'refused once, not retried');
    assert.ok(!existsSync(marker), 'the command did not run');
  } finally {
    await queue.close();
  }
});

test('hone exec --queue runs its command only on an agent started with --allow-exec, and records the run here', async () => {
  // The agent's queue URL in HONE_QUEUE (README): the command, which the queue sent, does not inherit it.
  await agents.start('agent-exec', redis.url(), undefined, ['--allow-exec'], true);
  try {
    const store = join(dir, 'exec');
    const script = 'require("fs").appendFileSync(process.env.HONE_METRICS_FILE, JSON.stringify({ step: 1, metrics: { loss: 0.25 } }) + "\\n"); console.log("ran on", process.env.HONE_RUN_ID, "queue", process.env.HONE_QUEUE)';
    const r = await coordinate(['exec', '--store', store, '--queue', redis.url(), '--name', 'remote-cmd', '--', process.execPath, '-e', script]).result;
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const [rec] = runsIn(store);
    assert.deepEqual([rec.kind, rec.status, rec.name, rec.remote.agent.name, rec.final.loss], ['exec', 'completed', 'remote-cmd', 'agent-exec', 0.25]);
    assert.match(readFileSync(join(store, 'runs', rec.id, 'log.txt'), 'utf8'), new RegExp(`ran on ${rec.id} queue undefined`), 'the command\'s output came back in its log');
    assert.ok(!storeText(store).includes(PASSWORD), 'the queue\'s password is nowhere in the store');
    // The default agents never saw the job: they do not listen to the exec queue.
    for (const name of ['agent-a', 'agent-b', 'agent-c']) assert.ok(!agents.all.get(name)?.out().includes(rec.id), `${name} did not take it`);
    const ls = hone(['agent', 'ls', '--queue', redis.url()]);
    assert.match(ls.stdout, /agent-exec .* yes /);
  } finally {
    await killAgent('agent-exec', 'SIGTERM');
  }
});

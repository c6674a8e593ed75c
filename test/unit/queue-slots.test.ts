// An agent's --concurrency counts the jobs of all its queues together (core/queue/slots.ts): first the
// slot logic with recording stand-ins for BullMQ workers, then a real agent (startAgent, in this process)
// on a real redis-server serving two queues at once.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Queue, type Job } from 'bullmq';
import { Slots } from '../../src/core/queue/slots';
import { startAgent, type QueueHandler } from '../../src/core/queue/agent';
import { parseQueueUrl } from '../../src/core/queue';
import { RedisServer } from '../helpers/redis';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A worker stand-in that records pause and resume calls. */
const recorder = () => {
  const calls: string[] = [];
  return { calls, pause: async () => void calls.push('pause'), resume: () => void calls.push('resume') };
};

test('slots: never more than the limit at once, waiting jobs start first come first served, the workers pause while all are taken', async () => {
  const slots = new Slots(2);
  const [w1, w2] = [recorder(), recorder()];
  slots.attach([w1, w2]);
  const log: string[] = [];
  const finish = new Map<string, () => void>();
  let peak = 0;
  // Each job runs until the test ends it, so the order of events does not depend on timers or load.
  const job = (lane: number, name: string) => slots.run(lane, async () => {
    peak = Math.max(peak, slots.running);
    log.push(`start ${name}`);
    await new Promise<void>((resolve) => finish.set(name, resolve));
    log.push(`end ${name}`);
    return name;
  });
  const settle = () => sleep(0);
  const end = async (name: string) => {
    finish.get(name)!();
    await settle();
  };
  const all = Promise.all([job(0, 'a'), job(1, 'b'), job(0, 'c'), job(1, 'd')]);
  await settle();
  assert.deepEqual(log, ['start a', 'start b'], 'two slots: c and d wait');
  await end('b');
  assert.deepEqual(log.slice(2), ['end b', 'start c'], 'c, first in line, takes the slot b frees; d waits behind it');
  await end('a');
  assert.deepEqual(log.slice(4), ['end a', 'start d']);
  await end('c');
  await end('d');
  assert.deepEqual(await all, ['a', 'b', 'c', 'd']);
  assert.equal(peak, 2);
  assert.equal(slots.running, 0);
  for (const w of [w1, w2]) {
    assert.equal(w.calls[0], 'pause', 'each holds one of two slots, so each could fetch another: both pause');
    assert.equal(w.calls.at(-1), 'resume', 'resumed once a slot was free');
    assert.ok(w.calls.every((c, i) => i === 0 || c !== w.calls[i - 1]), `pause and resume alternate: ${w.calls}`);
  }
});

test('slots: the worker holding every slot is not paused (its own concurrency stops it), the others are; a failed job frees its slot', async () => {
  const slots = new Slots(1);
  const [w1, w2] = [recorder(), recorder()];
  slots.attach([w1, w2]);
  await assert.rejects(slots.run(0, async () => {
    assert.deepEqual([w1.calls, w2.calls], [[], ['pause']]);
    throw new Error('boom');
  }), /boom/);
  assert.deepEqual([w1.calls, w2.calls], [[], ['pause', 'resume']]);
  assert.equal(await slots.run(1, async () => 'next'), 'next');
  assert.deepEqual([w1.calls, w2.calls], [['pause', 'resume'], ['pause', 'resume']]);
  assert.equal(slots.running, 0);
});

const dir = makeTmpDir();
let redis: RedisServer | undefined;
after(async () => {
  try {
    await redis?.stop();
  } finally {
    removeTmpDir(dir);
  }
});

/**
 * Six jobs, three on each of two queues, through one agent of `concurrency`: the most that ran at once.
 * Each job holds its slot until `concurrency` jobs have run at once (or 10 s have passed), then 300 ms
 * more: however slowly a loaded machine fetches the next job, the agent gets to fill every slot it has,
 * and one that took more than it has would show it.
 */
async function peakOnAgent(concurrency: number): Promise<number> {
  redis ??= await RedisServer.start({ dir, password: 'pw-slots' });
  const address = parseQueueUrl(redis.url());
  let now = 0;
  let peak = 0;
  const handler = (queue: string): QueueHandler => ({
    queue,
    close: async () => undefined,
    async process(job: Job) {
      peak = Math.max(peak, ++now);
      for (const end = Date.now() + 10_000; peak < concurrency && Date.now() < end;) await sleep(10);
      await sleep(300);
      now--;
      return job.data.n;
    },
  });
  const queues = ['slots-a', 'slots-b'].map((name) => new Queue(name, { connection: address.connection, prefix: 'hone' }));
  const agent = await startAgent({
    address, name: `slots-${concurrency}`, concurrency, tags: [], workerPath: '/nonexistent', backend: 'none', versions: {},
    lockMs: 5000, maxArtifactBytes: 1 << 20, dataDirs: [], handlers: [handler('slots-a'), handler('slots-b')], log: () => undefined,
  });
  try {
    const jobs = await Promise.all(queues.flatMap((q) => [1, 2, 3].map((n) => q.add('x', { n }, { jobId: `${q.name}-${concurrency}-${n}` }))));
    for (const end = Date.now() + 20_000; Date.now() < end; await sleep(50)) {
      const states = await Promise.all(jobs.map((j) => j.getState()));
      if (states.every((s) => s === 'completed')) return peak;
    }
    assert.fail('the six jobs did not all complete within 20 s');
  } finally {
    await agent.close();
    await Promise.all(queues.map((q) => q.close()));
  }
}

test('a real agent serving two queues runs at most --concurrency jobs at once across them, and uses every slot it has', async () => {
  assert.equal(await peakOnAgent(1), 1, '--concurrency 1: one job at a time over both queues');
  assert.equal(await peakOnAgent(2), 2, '--concurrency 2: two at once');
});

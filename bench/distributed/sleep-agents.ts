// Simulated agents for the distributed bench: `count` BullMQ workers (one per agent, concurrency 1) in this
// one process, each taking Hone's real jobs and, instead of training, sleeping `sleepMs` and returning a
// completed record with one metric and no files. The record says when the agent took and ended the job.
// Usage: node --import tsx bench/distributed/sleep-agents.ts <redis-url> <count> <sleepMs>
import { hostname } from 'node:os';
import { Worker } from 'bullmq';
import { parseQueueUrl, PREFIX, QUEUE_NAME, redisOptions, type JobResult, type TrainJob } from '../../src/core/queue';

const [url, count, sleepMs] = process.argv.slice(2);
const address = parseQueueUrl(url);
const workers = Array.from({ length: Number(count) }, (_, i) => {
  const name = `sleeper-${i}`;
  return new Worker<TrainJob, JobResult>(QUEUE_NAME, async (job) => {
    const agent = { name, host: hostname(), attempt: `${name}-${job.id}` };
    await job.updateProgress({ type: 'started', agent });
    await new Promise((r) => setTimeout(r, Number(sleepMs)));
    const finished = new Date().toISOString();
    const record = { ...job.data, id: job.data.runId, status: 'completed', created: finished, host: agent.host, seed: 0, versions: {}, epochsDone: 1,
      final: { val_accuracy: Math.random() }, started: new Date(job.processedOn!).toISOString(), finished };
    return { agent, record: JSON.stringify(record), files: [] };
  }, { connection: redisOptions(address), prefix: PREFIX, concurrency: 1 });
});
process.stdout.write(`ready ${workers.length}\n`);
process.on('SIGTERM', () => Promise.all(workers.map((w) => w.close())).then(() => process.exit(0)));

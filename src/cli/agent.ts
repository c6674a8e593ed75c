import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { allowedDataDirs, ARTIFACT_LIMIT_BYTES, listAgents, openRedis, queueAddress, startAgent, type QueueAddress } from '../core/queue';
import { table } from './format';
import { probeBackends } from './backend';
import { json as printJson, print } from './io';
import { version } from '../../package.json';

export interface AgentArgs {
  args: string[];
  queue?: string;
  name?: string;
  concurrency?: number;
  tags?: string;
  lockMs?: number;
  maxArtifactMb?: number;
  allowExec?: boolean;
  /** --data-dir, repeatable: folders whose files jobs may read as data (core/queue/data-dirs.ts). */
  dataDirs: string[];
  json: boolean;
}

/** `hone agent` (runs until Ctrl-C) and `hone agent ls`. */
export async function agentCommand(a: AgentArgs): Promise<number> {
  const address = queueAddress(a.queue, 'hone agent');
  if (a.args[0] === 'ls') return agentLs(address, a.json);
  // Its children (training workers, --allow-exec commands) run what the queue sends: the queue's password
  // stays out of their environment, and so out of what they print (their log comes back into run folders).
  delete process.env.HONE_QUEUE;
  const { federatedClients } = await import('../engine/federated/agent-clients');
  const backend = (await probeBackends()).find((b) => b.ok)?.name ?? 'cpu';
  const log = (line: string) => print(`${new Date().toISOString()} ${line}`);
  const concurrency = a.concurrency ?? 1;
  const workerPath = resolve(__dirname, 'worker.js');
  const agent = await startAgent({
    address, name: a.name ?? `${hostname()}-${process.pid}`, concurrency,
    tags: a.tags ? a.tags.split(',').map((t) => t.trim()).filter(Boolean) : [],
    workerPath, backend, versions: { hone: version },
    lockMs: a.lockMs ?? 30_000, maxArtifactBytes: a.maxArtifactMb ? a.maxArtifactMb * 1024 * 1024 : ARTIFACT_LIMIT_BYTES,
    dataDirs: allowedDataDirs(a.dataDirs), handlers: [federatedClients({ workerPath, workers: concurrency, log })], allowExec: a.allowExec,
    log,
  });
  await new Promise<void>((done) => {
    let closing = false;
    const onSignal = () => {
      if (closing) process.exit(1);
      closing = true;
      print('closing: no new jobs; running ones finish (Ctrl-C again to quit at once)');
      agent.close().then(done, done);
    };
    process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  });
  return 0;
}

async function agentLs(address: QueueAddress, json: boolean): Promise<number> {
  const redis = await openRedis(address);
  try {
    const agents = await listAgents(redis);
    if (json) return printJson(agents), 0;
    if (!agents.length) return print(`no agents on ${address.redacted}`), 0;
    print(table(['agent', 'host', 'backend', 'concurrency', 'tags', 'exec', 'jobs'],
      agents.map((x) => [x.name, x.host, x.backend, String(x.concurrency), x.tags.join(','), x.exec ? 'yes' : 'no', x.jobs.length ? x.jobs.join(' ') : 'idle'])));
    return 0;
  } finally {
    redis.disconnect();
  }
}

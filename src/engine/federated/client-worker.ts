/**
 * A federated run's client worker: `node worker.js --fed-client <runDir>` (entered through
 * worker-entry.ts), started by the run's coordinator (pool.ts). It loads a backend with the threads it
 * is given, builds the model once, then trains one client task at a time and returns the update. It
 * writes nothing: the coordinator owns the run folder. It exits when told to, or as soon as its IPC
 * channel closes (the coordinator ended, or was killed).
 */
import { format } from 'node:util';
import { chooseBackend } from '../backend';
import { createClientModel, runClientTask, type ClientModel } from './client';
import type { FromClient, ToClient } from './protocol';

const send = (m: FromClient) => {
  if (process.send && process.connected) process.send(m);
};

// TF.js prints to the console; the coordinator puts that in the run's log.
for (const level of ['log', 'info', 'warn', 'error'] as const) console[level] = (...args: unknown[]) => send({ type: 'log', text: format(...args) });

let client: ClientModel | undefined;
// One message at a time, in order: an init finishes before the first task starts.
let chain: Promise<void> = Promise.resolve();

async function handle(m: ToClient): Promise<void> {
  if (m.type === 'exit') process.exit(0);
  try {
    if (m.type === 'init') {
      const backend = await chooseBackend(m.init.backend, m.init.kernels, { threads: m.init.threads });
      client = createClientModel(m.init);
      send({ type: 'ready', backend });
      return;
    }
    if (!client) throw new Error('a task before init');
    send({ type: 'result', result: await runClientTask(client, m.task) });
  } catch (e) {
    send({ type: 'error', message: (e as Error).message });
  }
}

process.on('message', (m: ToClient) => (chain = chain.then(() => handle(m))));
process.on('disconnect', () => process.exit(0));

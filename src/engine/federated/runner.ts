import { createClientModel, runClientTask, type ClientModel } from './client';
import type { ClientInit, ClientResult, ClientTask } from './protocol';

/**
 * Where client tasks run: a pool of worker processes (pool.ts), or this process (tests, tiny
 * federations). `run` resolves undefined for a task skipped because `skip()` was true when its turn came
 * (a stop request: tasks already training finish, the rest are skipped).
 */
export interface ClientRunner {
  run(task: ClientTask, skip?: () => boolean): Promise<ClientResult | undefined>;
  /**
   * Drops a task the round no longer waits for (its deadline passed), if it has not started; true when it
   * had not: that client never downloaded the model.
   */
  cancel?(task: ClientTask): Promise<boolean>;
  close(): Promise<void>;
}

/** Runs client tasks one at a time in this process, on its current TF.js backend. */
export class InProcessRunner implements ClientRunner {
  private readonly client: ClientModel;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(init: ClientInit) {
    this.client = createClientModel(init);
  }

  run(task: ClientTask, skip?: () => boolean): Promise<ClientResult | undefined> {
    const next = this.queue.then(() => (skip?.() ? undefined : runClientTask(this.client, task)));
    this.queue = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    await this.queue;
    this.client.model.dispose();
  }
}

// The client worker pool with real worker processes (a stand-in script that takes tasks and never
// answers): closing it fails the work still in flight or queued, rather than leave its callers waiting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProcessPool } from '../../src/engine/federated/pool';
import type { ClientTask } from '../../src/engine/federated/protocol';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';

test('close() rejects the tasks a worker holds and those queued; nothing waits for ever', { timeout: 30_000 }, async (t) => {
  const dir = makeTmpDir();
  t.after(() => removeTmpDir(dir));
  const script = join(dir, 'silent-client.js');
  writeFileSync(script, `process.on('message', (m) => {
  if (m.type === 'init') process.send({ type: 'ready', backend: { name: 'cpu' } });
});`);
  const { pool } = await ProcessPool.start({ script, runDir: dir, count: 1, init: {} as never, log: () => undefined });
  const task = (client: number) => ({ round: 1, client }) as unknown as ClientTask;
  const held = assert.rejects(pool.run(task(0)), /pool was closed before this client trained/);
  const queued = assert.rejects(pool.run(task(1)), /pool was closed/);
  await pool.close();
  await Promise.all([held, queued]);
  await assert.rejects(pool.run(task(2)), /pool was closed/, 'and no work is taken after');
});

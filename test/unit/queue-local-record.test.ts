// The coordinator's record of a remote run (core/queue/local-record.ts): what an agent's final record may
// and may not change, on a real store.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRun, readRunRecord, writeRunRecord, type RunRecord } from '../../src/core/store';
import { RemoteRunFolder } from '../../src/core/queue/local-record';
import { fakeRun } from '../helpers/store-fixtures';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';

let store: string;
before(() => (store = makeTmpDir()));
after(() => removeTmpDir(store));

const agent = { name: 'agent-a', host: 'far', attempt: 'agent-a-1' };

/** A run queued here with a parent, as `hone run --queue` of a child would leave it; and its folder's recorder. */
function queued(): { rec: RunRecord; folder: RemoteRunFolder } {
  const { record, dir } = createRun(store, { ...fakeRun({ name: 'mine', experiment: 'exp', epochsPlanned: 5 }), parent: '20240131-142501-9f3a0c' });
  const rec: RunRecord = { ...record, status: 'running', remote: { queue: 'redis://127.0.0.1:6379', agent } };
  writeRunRecord(dir, rec);
  return { rec, folder: new RemoteRunFolder(store, dir, 1 << 20) };
}

test("an agent's final record adds how the run went; what the run is and where it came from stay the coordinator's", async () => {
  const { rec, folder } = queued();
  const fromAgent = {
    ...rec, status: 'completed', epochsDone: 5, final: { val_accuracy: 0.9 }, backend: { name: 'wasm', reason: 'test' },
    // What an agent has no say in:
    id: '20990101-000000-000000', name: 'renamed', experiment: 'elsewhere', kind: 'exec', overrides: ['train.lr=9'], seed: 7,
    epochsPlanned: 99, parent: '20200101-000000-aaaaaa', host: 'far', created: '2000-01-01T00:00:00.000Z',
  };
  const out = (await folder.complete({ agent, record: JSON.stringify(fromAgent), files: [] }))!;
  const kept = readRunRecord(folder.dir)!;
  assert.deepEqual(out, kept);
  assert.deepEqual([kept.status, kept.epochsDone, kept.final, kept.backend?.name], ['completed', 5, { val_accuracy: 0.9 }, 'wasm']);
  for (const k of ['id', 'name', 'experiment', 'kind', 'overrides', 'seed', 'epochsPlanned', 'parent', 'host', 'created'] as const) {
    assert.deepEqual(kept[k], rec[k], k);
  }
  assert.deepEqual(kept.remote, { queue: rec.remote!.queue, agent });
});

test('an agent record that is not ended (running, or no status) ends the run failed, saying so', async () => {
  for (const status of ['running', undefined]) {
    const { rec, folder } = queued();
    const out = (await folder.complete({ agent, record: JSON.stringify({ ...rec, status }), files: [] }))!;
    assert.equal(out.status, 'failed');
    assert.match(out.message ?? '', /agent agent-a returned the run as '(running|undefined)', not ended/);
  }
});

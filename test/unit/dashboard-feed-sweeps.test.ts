// The dashboard feed's sweeps: `init` carries every sweep of the store as its view model, a poll sends
// them again only after a sweep record changed, and the standalone export's snapshot carries them too.
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { DashboardFeed, dashboardSnapshot, type HostMessage } from '../../src/core/dashboard';
import { newSweepDir, writeSweepRecord, type SweepRecord } from '../../src/core/sweep/record';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';

const sweepsIn = (msgs: HostMessage[]) => msgs.filter((m) => m.type === 'sweeps');

function record(id: string, trials: SweepRecord['trials']): SweepRecord {
  return {
    id, name: 'demo', created: '2024-01-01T00:00:00Z', baseDir: '/', raw: {}, epochs: 2, status: 'completed', elapsedMs: 10, trials,
    sweep: {
      parameters: { 'train.lr': { type: 'float', min: 0.001, max: 0.1, log: true } }, objectives: [{ metric: 'val_accuracy', direction: 'maximize' }],
      sampler: { type: 'random' }, stopper: { type: 'none' }, parallel: 1, seed: 1,
    },
  };
}

describe('dashboard: feed sweeps', () => {
  let store: string;
  before(() => (store = makeTmpDir()));
  after(() => removeTmpDir(store));

  it('init sends the sweeps; poll resends them only when one changed; the snapshot has them', async () => {
    const feed = new DashboardFeed(store);
    assert.deepEqual((await feed.init()).sweeps, [], 'a store without sweeps');
    const { id, dir } = newSweepDir(store);
    const one = { number: 0, params: { 'train.lr': 0.01 }, state: 'completed' as const, values: [0.8], intermediate: { 1: [0.7], 2: [0.8] }, epochs: 2 };
    writeSweepRecord(dir, record(id, [one]));
    const [first] = sweepsIn(await feed.poll());
    assert.ok(first?.type === 'sweeps');
    assert.deepEqual(first.sweeps.map((s) => [s.id, s.trials.length, s.best]), [[id, 1, 0]]);
    assert.deepEqual(sweepsIn(await feed.poll()), [], 'nothing changed');
    writeSweepRecord(dir, record(id, [one, { ...one, number: 1, values: [0.9] }]));
    const [second] = sweepsIn(await feed.poll());
    assert.ok(second?.type === 'sweeps');
    assert.deepEqual(second.sweeps[0].trials.map((t) => t.objectives.val_accuracy), [0.8, 0.9]);
    assert.equal(second.sweeps[0].best, 1);
    assert.equal((await feed.init()).sweeps?.length, 1);
    assert.deepEqual((await dashboardSnapshot(store)).init.sweeps?.map((s) => s.id), [id]);
  });
});

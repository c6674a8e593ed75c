import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import fs, { existsSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  createRun, processInfo, readRunRecord, removeRun, resolveRun, syncIndex, writeRunRecord, type RunRecord,
} from '../../src/core/store';
import { deadPid, fakeRun } from '../helpers/store-fixtures';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';

/** Writes a run under a chosen id (resolveRun is about ids, so tests pick them). */
function putRun(store: string, id: string, over: Partial<RunRecord> = {}): string {
  const dir = join(store, 'runs', id);
  mkdirSync(dir, { recursive: true });
  const created = new Date().toISOString();
  writeRunRecord(dir, { ...fakeRun(), id, status: 'completed', created, host: 'h', epochsDone: 3, ...over });
  return dir;
}

describe('store: resolve and remove', () => {
  let store: string;
  before(() => {
    store = makeTmpDir();
    putRun(store, '20240101-100000-aaaaaa', { name: 'alpha' });
    putRun(store, '20240101-100000-aabbbb', { name: 'beta' });
    putRun(store, '20240102-090000-cccccc', { name: 'dup' });
    putRun(store, '20240103-090000-dddddd', { name: 'dup' });
  });
  after(() => removeTmpDir(store));

  it('finds a run by exact id, unique prefix or unique name', () => {
    assert.equal(resolveRun(store, '20240101-100000-aabbbb').record.name, 'beta');
    assert.equal(resolveRun(store, '20240102').id, '20240102-090000-cccccc');
    assert.equal(resolveRun(store, '20240101-100000-aab').record.name, 'beta');
    const r = resolveRun(store, 'alpha');
    assert.equal(r.id, '20240101-100000-aaaaaa');
    assert.equal(r.dir, join(store, 'runs', r.id));
  });

  it('lists the candidates when a ref is ambiguous or matches nothing', () => {
    assert.throws(() => resolveRun(store, '20240101-100000-aa'), (e: Error) =>
      /matches 2 runs/.test(e.message) && e.message.includes('aaaaaa  alpha') && e.message.includes('aabbbb  beta'));
    assert.throws(() => resolveRun(store, 'dup'), /cccccc.*\n.*dddddd|dddddd.*\n.*cccccc/);
    assert.throws(() => resolveRun(store, 'zzz'), (e: Error) => /no run matches 'zzz'/.test(e.message) && e.message.includes('alpha'));
  });

  it('removeRun refuses a running run, removes an ended one', async () => {
    const live = createRun(store, fakeRun({ name: 'live' }));
    // A live process that is this run's worker as far as identity goes: the run's id on its command line.
    const worker = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', live.dir], { stdio: 'ignore' });
    try {
      writeRunRecord(live.dir, { ...live.record, status: 'running', pid: worker.pid, pidStart: processInfo(worker.pid!)?.start, heartbeat: new Date().toISOString() });
      await syncIndex(store);
      await assert.rejects(removeRun(store, live.record.id), /is running .*stop it first/);
      assert.ok(existsSync(live.dir));
    } finally {
      worker.kill('SIGKILL');
    }

    await removeRun(store, '20240101-100000-aaaaaa');
    assert.equal(existsSync(join(store, 'runs', '20240101-100000-aaaaaa')), false);
    assert.equal((await syncIndex(store)).some((r) => r.id === '20240101-100000-aaaaaa'), false);
    await assert.rejects(removeRun(store, '20240101-100000-aaaaaa'), /no run/);
    await assert.rejects(removeRun(store, '..'), /invalid run id/);
  });

  it('removeRun removes a running run whose process died, after marking it crashed', async (t) => {
    const id = '20240104-000000-eeeeee';
    const pid = deadPid();
    const dir = putRun(store, id, { status: 'running', pid, host: hostname() });
    assert.equal(readRunRecord(dir)?.status, 'running');
    // The marking lives only until the folder goes, so read run.json at the moment removeRun moves it aside.
    const seen: (RunRecord | undefined)[] = [];
    const renameSync = fs.renameSync;
    t.mock.method(fs, 'renameSync', (from: fs.PathLike, to: fs.PathLike) => {
      if (from === dir) seen.push(readRunRecord(dir));
      return renameSync(from, to);
    });
    await removeRun(store, id);
    assert.equal(seen.length, 1, 'removeRun moved the run folder aside once');
    assert.equal(seen[0]?.status, 'crashed');
    assert.equal(seen[0]?.message, `process ${pid} on ${hostname()} is gone`);
    assert.ok(seen[0]?.finished && Date.now() - Date.parse(seen[0].finished) < 60_000, 'finished is set to now');
    assert.equal(existsSync(dir), false);
    assert.equal((await syncIndex(store)).some((r) => r.id === id), false, 'and its index entry is gone');
  });
});

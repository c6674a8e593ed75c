import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { spawn } from 'node:child_process';
import { createRun, newRunId, readRunRecord, writeRunRecord } from '../../src/core/store';
import { annotateRun } from '../../src/core/store/annotations';
import { fakeRun } from '../helpers/store-fixtures';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';

describe('store: run ids and records', () => {
  let store: string;
  before(() => (store = makeTmpDir()));
  after(() => removeTmpDir(store));

  it('newRunId is UTC time then 6 random hex digits', () => {
    const id = newRunId(new Date('2024-01-31T14:25:01.500Z'));
    assert.match(id, /^20240131-142501-[0-9a-f]{6}$/);
    const ids = new Set(Array.from({ length: 1000 }, () => newRunId()));
    assert.ok(ids.size > 990, 'random suffixes rarely collide');
  });

  it('createRun makes the folder and a queued run.json', () => {
    const { record, dir } = createRun(store, fakeRun({ name: 'a' }));
    assert.equal(dir, join(store, 'runs', record.id));
    assert.equal(record.status, 'queued');
    assert.equal(record.epochsDone, 0);
    assert.equal(record.pid, process.pid);
    assert.deepEqual(readRunRecord(dir), record);
    const other = createRun(store, fakeRun({ name: 'b' }));
    assert.notEqual(other.record.id, record.id);
  });

  it('annotations stay in meta.json: a record read with them and written back leaves them out, and removing one works after', async () => {
    const { record, dir } = createRun(store, fakeRun({ name: 'annotated' }));
    await annotateRun(store, record.id, { addTags: ['keep'], note: 'try', starred: true });
    const read = readRunRecord(dir)!;
    assert.deepEqual([read.tags, read.note, read.starred], [['keep'], 'try', true]);
    writeRunRecord(dir, { ...read, status: 'crashed' });
    const raw = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
    assert.deepEqual([raw.status, raw.tags, raw.note, raw.starred], ['crashed', undefined, undefined, undefined]);
    await annotateRun(store, record.id, { removeTags: ['keep'], note: '', starred: false });
    const after = readRunRecord(dir)!;
    assert.deepEqual([after.tags ?? [], after.note, after.starred ?? false], [[], undefined, false]);
    // A run.json that carries annotations itself (written before this rule): meta.json alone counts.
    writeFileSync(join(dir, 'run.json'), JSON.stringify({ ...raw, tags: ['stale'], starred: true }));
    assert.deepEqual([readRunRecord(dir)!.tags ?? [], readRunRecord(dir)!.starred ?? false], [[], false]);
  });

  it('annotating a run deleted since it was chosen says so, and creates nothing', async () => {
    const { record, dir } = createRun(store, fakeRun({ name: 'gone' }));
    rmSync(dir, { recursive: true });
    await assert.rejects(annotateRun(store, record.id, { addTags: ['x'] }), new RegExp(`run ${record.id} no longer exists`));
    assert.equal(existsSync(dir), false);
  });

  it('readRunRecord is undefined for missing, empty or corrupt files', () => {
    const { dir } = createRun(store, fakeRun());
    assert.equal(readRunRecord(join(store, 'runs', 'nope')), undefined);
    writeFileSync(join(dir, 'run.json'), '');
    assert.equal(readRunRecord(dir), undefined);
    writeFileSync(join(dir, 'run.json'), '{"id": "x", "sta');
    assert.equal(readRunRecord(dir), undefined);
    writeFileSync(join(dir, 'run.json'), '[1, 2]');
    assert.equal(readRunRecord(dir), undefined);
  });

  it('keeps NaN and Infinity in final and best through a write and read', () => {
    const { record, dir } = createRun(store, fakeRun({ name: 'NaN' }));
    writeRunRecord(dir, { ...record, status: 'diverged', final: { loss: NaN, acc: 0.5 }, best: { loss: Infinity } });
    const back = readRunRecord(dir);
    assert.equal(back?.name, 'NaN');
    assert.ok(Number.isNaN(back?.final?.loss));
    assert.equal(back?.final?.acc, 0.5);
    assert.equal(back?.best?.loss, Infinity);
  });

  it('readers never see a partial run.json while another process rewrites it', async () => {
    const { dir } = createRun(store, fakeRun());
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '../helpers/store-child.ts'), 'rewrite', dir, '400'], {
      stdio: 'inherit',
    });
    let exited = false;
    let code: number | null = null;
    child.on('exit', (c) => ((exited = true), (code = c)));
    let reads = 0;
    // Reads that saw neither the first record nor the last: the writer had started and not finished, so they raced it.
    let racing = 0;
    while (!exited) {
      const text = readFileSync(join(dir, 'run.json'), 'utf8');
      assert.doesNotThrow(() => JSON.parse(text), `partial file seen after ${reads} reads`);
      const epochs = readRunRecord(dir)?.epochsDone;
      assert.ok(epochs !== undefined, `no record after ${reads} reads`);
      if (epochs > 0 && epochs < 399) racing++;
      reads++;
      await new Promise((r) => setImmediate(r));
    }
    assert.equal(code, 0);
    assert.ok(racing > 20, `only ${racing} of ${reads} reads raced the writer`);
    assert.equal(readRunRecord(dir)?.epochsDone, 399);
    assert.deepEqual(readdirSync(dir), ['run.json'], 'no temp files left behind');
  });
});

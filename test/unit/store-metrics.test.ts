import { strict as assert } from 'node:assert';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { appendLog, appendMetric, createRun, readLogTail, readMetrics } from '../../src/core/store';
import { fakeMetric, fakeRun } from '../helpers/store-fixtures';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';

describe('store: metrics and logs', () => {
  let store: string;
  before(() => (store = makeTmpDir()));
  after(() => removeTmpDir(store));

  it('reads nothing from a run without metrics', () => {
    const { dir } = createRun(store, fakeRun());
    assert.deepEqual(readMetrics(dir), { lines: [], nextByte: 0, badLines: 0, partialBytes: 0 });
    assert.deepEqual(readMetrics(dir, 10), { lines: [], nextByte: 10, badLines: 0, partialBytes: 0 });
  });

  it('reads incrementally and leaves a partial trailing line for later', () => {
    const { dir } = createRun(store, fakeRun());
    const file = join(dir, 'metrics.jsonl');
    const first = [fakeMetric(0, { loss: 1 }), fakeMetric(1, { loss: 0.5, 'accuracy é': 0.7 })];
    first.forEach((l) => appendMetric(dir, l));
    const complete = readFileSync(file).length;
    const half = JSON.stringify(fakeMetric(2, { loss: 0.25 }));
    appendFileSync(file, half.slice(0, 20));

    const a = readMetrics(dir);
    assert.deepEqual(a.lines, first);
    assert.equal(a.nextByte, complete, 'stops before the partial line (a byte offset, not a char count)');
    assert.deepEqual(readMetrics(dir, a.nextByte), { lines: [], nextByte: complete, badLines: 0, partialBytes: 20 });

    appendFileSync(file, half.slice(20) + '\n');
    appendMetric(dir, fakeMetric(3, { loss: NaN }));
    const b = readMetrics(dir, a.nextByte);
    assert.deepEqual(b.lines.map((l) => l.epoch), [2, 3]);
    assert.equal(b.lines[0].metrics.loss, 0.25);
    assert.ok(Number.isNaN(b.lines[1].metrics.loss), 'NaN survives the JSON line');
    assert.equal(b.nextByte, readFileSync(file).length);
    assert.equal(readMetrics(dir).lines.length, 4);
  });

  it('skips a corrupt line in the middle', () => {
    const { dir } = createRun(store, fakeRun());
    appendMetric(dir, fakeMetric(0, { loss: 1 }));
    appendFileSync(join(dir, 'metrics.jsonl'), '{"epoch": 1, "met\n');
    appendMetric(dir, fakeMetric(2, { loss: 2 }));
    assert.deepEqual(readMetrics(dir).lines.map((l) => l.epoch), [0, 2]);
    assert.equal(readMetrics(dir).badLines, 1, 'and counts it');
  });

  it('tails the log on a line boundary', () => {
    const { dir } = createRun(store, fakeRun());
    assert.equal(readLogTail(dir, 100), '');
    for (let i = 0; i < 100; i++) appendLog(dir, `line ${i}\n`);
    assert.equal(readLogTail(dir, 20), 'line 98\nline 99\n');
    assert.equal(readLogTail(dir).split('\n').length, 101);
  });
});

// The metrics cache (store/metrics-cache.ts) against real files: it always equals parsing metrics.jsonl,
// grows with appended lines, and is rebuilt, never trusted, when metrics.jsonl changed under it or the
// cache itself is torn or damaged.
import { strict as assert } from 'node:assert';
import { appendFileSync, existsSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { appendMetric, createRun, METRICS_CACHE_FILE, METRICS_FILE, readMetricColumns, readMetrics, type MetricColumns } from '../../src/core/store';
import { atomicWriteFileSync } from '../../src/core/store/fs-util';
import type { MetricLine } from '../../src/core/store/types';
import { fakeMetric, fakeRun } from '../helpers/store-fixtures';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';

/** Plain arrays of the columns, for deepEqual (NaN equals NaN there, and -0 is told from 0). */
function plain(c: MetricColumns) {
  const a = (x?: Float64Array) => (x ? Array.from(x) : undefined);
  return {
    lines: c.lines, badLines: c.badLines, nextByte: c.nextByte, epoch: a(c.epoch), step: a(c.step), time: a(c.time), lr: a(c.lr),
    metrics: [...c.metrics].map(([name, m]) => ({ name, rows: a(m.rows), values: a(m.values) })),
  };
}

/** What parsing metrics.jsonl gives, as columns: the known answer the cache must equal. */
function parsed(dir: string) {
  const { lines, badLines, nextByte } = readMetrics(dir);
  const names = [...new Set(lines.flatMap((l) => Object.keys(l.metrics)))];
  const rowsOf = (n: string) => lines.flatMap((l, r) => (n in l.metrics ? [r] : []));
  return {
    lines: lines.length, badLines, nextByte,
    epoch: lines.map((l) => l.epoch), step: lines.map((l) => l.step), time: lines.map((l) => l.time), lr: lines.map((l) => l.lr),
    metrics: names.map((name) => ({
      name, rows: rowsOf(name).length === lines.length ? undefined : rowsOf(name), values: lines.flatMap((l) => (name in l.metrics ? [l.metrics[name]] : [])),
    })),
  };
}

/** Sets metrics.jsonl's mtime an hour back, so the cache stamps it (a recent mtime is not trusted). */
const settle = (dir: string) => utimesSync(join(dir, METRICS_FILE), new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));

describe('store: metrics cache', () => {
  let store: string;
  before(() => (store = makeTmpDir()));
  after(() => removeTmpDir(store));
  const newRun = (lines: MetricLine[]) => {
    const { dir } = createRun(store, fakeRun());
    for (const l of lines) appendMetric(dir, l);
    return dir;
  };

  it('equals parsing metrics.jsonl: NaN and Infinity, sparse metrics, unparsable and torn lines', () => {
    const dir = newRun([
      { ...fakeMetric(1, { loss: NaN, acc: 0.5 }), lr: Infinity, time: -0 },
      fakeMetric(2, { loss: Infinity, acc: -Infinity }),
      fakeMetric(3, { acc: 0.75, late: 1e-300 }),
      { ...fakeMetric(4, { loss: 0.25, acc: 0.8, late: -2 }), lr: NaN },
    ]);
    const text = readFileSync(join(dir, METRICS_FILE), 'utf8');
    assert.match(text, /"loss":"NaN".*\n.*"loss":"Infinity","acc":"-Infinity"/, 'metrics.jsonl spells non-finite numbers as strings');
    appendFileSync(join(dir, METRICS_FILE), '{"epoch":5,"me\n' + JSON.stringify(fakeMetric(6, { acc: 0.9 })).slice(0, 20));
    const first = readMetricColumns(dir);
    assert.deepEqual(plain(first), parsed(dir));
    assert.deepEqual([first.lines, first.badLines], [4, 1]);
    assert.deepEqual(plain(first).metrics.map((m) => [m.name, m.rows]), [['loss', [0, 1, 3]], ['acc', undefined], ['late', [2, 3]]]);
    assert.ok(existsSync(join(dir, METRICS_CACHE_FILE)), 'written beside metrics.jsonl');
    assert.deepEqual(plain(readMetricColumns(dir)), parsed(dir), 'and read back the same');
  });

  it('is trusted without reading metrics.jsonl while its inode, size and mtime are unchanged', () => {
    const dir = newRun([fakeMetric(1, { loss: 1 }), fakeMetric(2, { loss: 0.5 })]);
    settle(dir);
    const before = plain(readMetricColumns(dir));
    const file = join(dir, METRICS_FILE);
    const { mtime } = statSync(file);
    // Same bytes count, inode and mtime: the one change the cache cannot see (only made on purpose).
    writeFileSync(file, readFileSync(file, 'utf8').replace('"loss":0.5', '"loss":0.7'));
    utimesSync(file, mtime, mtime);
    assert.deepEqual(plain(readMetricColumns(dir)), before, 'the cache answered: metrics.jsonl was not parsed');
    utimesSync(file, new Date(mtime.getTime() - 1000), new Date(mtime.getTime() - 1000));
    assert.deepEqual(plain(readMetricColumns(dir)).metrics[0].values, [1, 0.7], 'another mtime: checked, found rewritten, rebuilt');
  });

  it('grows with appended lines, and takes a last line once it is complete', () => {
    const dir = newRun([fakeMetric(1, { loss: 1 })]);
    settle(dir);
    readMetricColumns(dir);
    appendMetric(dir, fakeMetric(2, { loss: 0.5, acc: 0.1 }));
    const torn = JSON.stringify(fakeMetric(3, { loss: 0.25, acc: 0.2 }));
    appendFileSync(join(dir, METRICS_FILE), torn.slice(0, 30));
    const grown = readMetricColumns(dir);
    assert.deepEqual(plain(grown), parsed(dir));
    assert.deepEqual([grown.lines, grown.nextByte], [2, statSync(join(dir, METRICS_FILE)).size - 30]);
    assert.deepEqual(plain(grown).metrics[1], { name: 'acc', rows: [1], values: [0.1] }, 'a metric that appears later is sparse');
    appendFileSync(join(dir, METRICS_FILE), `${torn.slice(30)}\n`);
    for (let e = 4; e <= 6; e++) appendMetric(dir, fakeMetric(e, { loss: 1 / e, acc: e / 10 }));
    assert.deepEqual(plain(readMetricColumns(dir)), parsed(dir));
    assert.equal(readMetricColumns(dir).lines, 6);
  });

  it('is rebuilt when metrics.jsonl is replaced, truncated, or rewritten in place to the same size', () => {
    const dir = newRun([1, 2, 3, 4].map((e) => fakeMetric(e, { loss: 1 / e })));
    const file = join(dir, METRICS_FILE);
    const lines = readFileSync(file, 'utf8').split('\n');
    const check = (why: string) => assert.deepEqual(plain(readMetricColumns(dir)), parsed(dir), why);
    settle(dir);
    check('built');
    atomicWriteFileSync(file, lines.slice(0, 2).join('\n') + '\n'); // as `hone resume` drops the later epochs
    appendMetric(dir, fakeMetric(3, { loss: 9 }));
    appendMetric(dir, fakeMetric(4, { loss: 8 }));
    appendMetric(dir, fakeMetric(5, { loss: 7 }));
    check('replaced by a longer file with other lines');
    writeFileSync(file, lines.slice(0, 1).join('\n') + '\n');
    check('truncated in place');
    assert.equal(readMetricColumns(dir).lines, 1);
    appendMetric(dir, fakeMetric(2, { loss: 0.5 }));
    settle(dir);
    check('grown again');
    const { mtime } = statSync(file);
    writeFileSync(file, readFileSync(file, 'utf8').replace('"loss":0.5', '"loss":0.6'));
    utimesSync(file, new Date(mtime.getTime() + 1000), new Date(mtime.getTime() + 1000));
    check('rewritten to the same size');
    assert.deepEqual(Array.from(readMetricColumns(dir).metrics.get('loss')!.values), [1, 0.6]);
    // Just written: its stamp is not trusted, so even a same-size rewrite within the same mtime is seen.
    appendMetric(dir, fakeMetric(3, { loss: 0.25 }));
    const recent = new Date();
    utimesSync(file, recent, recent);
    check('recent');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"loss":0.25', '"loss":0.35'));
    utimesSync(file, recent, recent);
    check('rewritten within the same mtime, right after it was read');
  });

  it('rebuilds a torn, damaged or foreign cache file', () => {
    const dir = newRun([1, 2, 3].map((e) => fakeMetric(e, { loss: 1 / e, acc: e / 4 })));
    settle(dir);
    readMetricColumns(dir);
    const cache = join(dir, METRICS_CACHE_FILE);
    const good = readFileSync(cache);
    const expected = parsed(dir);
    const damaged: [string, Buffer][] = [
      ['torn', good.subarray(0, good.length - 5)],
      ['empty', Buffer.alloc(0)],
      ['a bit flipped in a value', Buffer.from(good.map((b, i) => (i === good.length - 3 ? b ^ 1 : b)))],
      ['a header that is not JSON', Buffer.from(good.toString('latin1').replace('"lines"', '"lines!'), 'latin1')],
      ['another format', Buffer.from('HONEMC9\n' + good.subarray(8).toString('latin1'), 'latin1')],
    ];
    for (const [why, bytes] of damaged) {
      writeFileSync(cache, bytes);
      assert.deepEqual(plain(readMetricColumns(dir)), expected, why);
      assert.ok(readFileSync(cache).equals(good), `${why}: rewritten whole`);
    }
    // Another run's valid cache copied in: its stamp differs, and its lines do not match these.
    const other = newRun([fakeMetric(1, { loss: 5 })]);
    settle(other);
    readMetricColumns(other);
    writeFileSync(cache, readFileSync(join(other, METRICS_CACHE_FILE)));
    assert.deepEqual(plain(readMetricColumns(dir)), expected, 'a foreign cache');
  });

  it('writes nothing when asked not to, nor for a run without metric lines', () => {
    const empty = newRun([]);
    assert.deepEqual(plain(readMetricColumns(empty)), parsed(empty));
    assert.equal(existsSync(join(empty, METRICS_CACHE_FILE)), false, 'no metrics.jsonl, no cache');
    const dir = newRun([fakeMetric(1, { loss: 1 })]);
    assert.equal(readMetricColumns(dir, false).lines, 1);
    assert.equal(existsSync(join(dir, METRICS_CACHE_FILE)), false, 'read-only');
    rmSync(join(dir, METRICS_FILE));
    readMetricColumns(dir);
    assert.equal(readMetricColumns(dir).lines, 0, 'metrics.jsonl deleted');
  });
});

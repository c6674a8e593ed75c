import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  appendMetric, createRun, exportRun, readMetrics, readRunRecord, writeRunRecord, type MetricLine, type RunExport,
} from '../../src/core/store';
import { toNumber, toNumberMap } from '../../src/core/store/numbers';
import { fakeMetric, fakeRun } from '../helpers/store-fixtures';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';

/** Parses the CSV that exportRun writes (no quoted cells needed for these names). */
function parseCsv(text: string): { header: string[]; rows: string[][] } {
  const [head, ...rest] = text.trimEnd().split('\n').map((l) => l.split(','));
  return { header: head, rows: rest };
}

describe('store: export', () => {
  let store: string;
  let dir: string;
  const lines: MetricLine[] = [
    fakeMetric(0, { loss: 1.5, val_loss: 1.75 }),
    fakeMetric(1, { loss: 0.75, accuracy: 0.5 }),
    fakeMetric(2, { loss: NaN, accuracy: 0.625, val_loss: 0.125 }),
  ];
  before(() => {
    store = makeTmpDir();
    const run = createRun(store, fakeRun());
    dir = run.dir;
    writeRunRecord(dir, { ...run.record, status: 'diverged', final: { loss: NaN } });
    lines.forEach((l) => appendMetric(dir, l));
  });
  after(() => removeTmpDir(store));

  it('csv: fixed columns, sorted metric names, empty cells for missing metrics', () => {
    const { header, rows } = parseCsv(exportRun(dir, 'csv').text);
    assert.deepEqual(header, ['epoch', 'step', 'time', 'lr', 'accuracy', 'loss', 'val_loss']);
    assert.deepEqual(rows[0], ['0', '10', '0', '0.01', '', '1.5', '1.75']);
    assert.deepEqual(rows[2], ['2', '30', '3', '0.01', '0.625', 'NaN', '0.125']);
    // Round trip: every line's values come back from its row.
    rows.forEach((row, i) => {
      assert.equal(Number(row[0]), lines[i].epoch);
      assert.equal(Number(row[3]), lines[i].lr);
      header.slice(4).forEach((name, j) => {
        const cell = row[4 + j];
        assert.deepEqual(cell === '' ? undefined : Number(cell), lines[i].metrics[name]);
      });
    });
  });

  it('json: the run record and every metric line', () => {
    const parsed = JSON.parse(exportRun(dir, 'json').text) as RunExport;
    const back: RunExport = {
      run: { ...parsed.run, final: toNumberMap(parsed.run.final) },
      metrics: parsed.metrics.map((m) => ({ ...m, lr: toNumber(m.lr), metrics: toNumberMap(m.metrics) ?? {} })),
    };
    assert.deepEqual(back, { run: readRunRecord(dir), metrics: readMetrics(dir).lines });
    assert.deepEqual(back.metrics, lines);
  });

  it('csv: a metric named like a fixed column (a TensorBoard tag lr) gets a column of its own, metric:lr', () => {
    const tb = createRun(store, fakeRun());
    appendMetric(tb.dir, { ...fakeMetric(0, { lr: 0.5, loss: 1, epoch: 3, 'metric:lr': 9 }), step: 7, time: 2 });
    const { header, rows } = parseCsv(exportRun(tb.dir, 'csv').text);
    assert.deepEqual(header, ['epoch', 'step', 'time', 'lr', 'metric:epoch', 'loss', 'metric:metric:lr', 'metric:lr']);
    assert.equal(new Set(header).size, header.length, 'no name repeats');
    assert.deepEqual(rows[0], ['0', '7', '2', '0.01', '3', '1', '0.5', '9']);
  });

  it('csv of a run without metrics is just the header', () => {
    const empty = createRun(store, fakeRun());
    assert.deepEqual(exportRun(empty.dir, 'csv'), { text: 'epoch,step,time,lr\n' });
    assert.throws(() => exportRun(store, 'json'), /no readable run.json/);
  });

  it('says which metric lines it could not export: damaged ones and a torn last line', () => {
    const torn = createRun(store, fakeRun());
    writeRunRecord(torn.dir, { ...torn.record, status: 'crashed' });
    appendMetric(torn.dir, lines[0]);
    appendFileSync(join(torn.dir, 'metrics.jsonl'), '{"epoch": 1, "st\n');
    appendMetric(torn.dir, lines[1]);
    appendFileSync(join(torn.dir, 'metrics.jsonl'), '{"epoch": 2, "step": 3');
    const out = exportRun(torn.dir, 'json');
    assert.equal((JSON.parse(out.text) as RunExport).metrics.length, 2);
    assert.equal(out.skipped, `metrics.jsonl of run ${torn.record.id}: not exported: 1 unparsable line(s) and an incomplete last line (22 bytes, torn when the run ended)`);
  });
});

// Numbers as users read them: percentages that never round a value short of 100% up to 100.0% (or one above
// 0 down to 0.0%), R² as a score, CLI numbers that never make a fraction look whole, durations without
// "60 s", NaN kept through the dashboard's wire and sorted with the missing values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatMetric, metricRange } from '../../src/core/dashboard/present';
import { fromWire, toWire } from '../../src/core/dashboard/protocol';
import { stepsLabel } from '../../src/core/dashboard/federated';
import { extraDigits, num, numMore } from '../../src/core/format';
import { sortRuns } from '../../src/core/filter';
import { seconds } from '../../src/extension/messages';
import { duration } from '../../webview/lib/dom';
import type { RunRecord } from '../../src/core/store/types';

test('fractions as percentages: more decimals only where one would read 100.0% or 0.0% for a value that is not', () => {
  assert.deepEqual(['accuracy', 'val_accuracy', 'attack_success', 'accuracy', 'accuracy', 'accuracy'].map((m, i) => formatMetric(m, [0.95, 0.9996, 0.0004, 1, 0, 0.999999999][i])),
    ['95.0%', '99.96%', '0.04%', '100.0%', '0.0%', '99.9999999%']);
  assert.equal(formatMetric('accuracy', null), '–');
  assert.equal(formatMetric('val_loss', NaN), 'NaN');
});

test('R² is a score, not a share: no percent sign, and a negative value stays on its axis', () => {
  assert.equal(formatMetric('r2', 0.42), '0.42');
  assert.equal(formatMetric('val_r2', -0.42), '-0.42');
  assert.ok(metricRange('val_r2', -0.4, 0.8)[0] <= -0.4, String(metricRange('val_r2', -0.4, 0.8)));
});

test('CLI numbers: 4 significant digits, more where 4 would make a fraction look whole', () => {
  assert.deepEqual([0.123456, 0.99996, 2.99996, 1234.5, 12345.6, 3, NaN].map(num), ['0.1235', '0.99996', '2.99996', '1234.5', '12345.6', '3', 'NaN']);
});

test('a row whose best value would print like another gets the fewest digits more that tell them apart', () => {
  const values = [0.938712, 0.5, 0.938741, undefined];
  const extra = extraDigits(0.938741, values, numMore);
  assert.equal(extra, 1);
  assert.deepEqual(values.map((v) => numMore(v, extra)), ['0.93871', '0.50000', '0.93874', '']);
  assert.equal(extraDigits(0.5, values, numMore), 0, 'the best already reads apart');
  assert.equal(extraDigits(undefined, values, numMore), 0, 'no star, no digits');
  assert.equal(extraDigits(0.938741, [0.938741, 0.938741], numMore), 0, 'a tie is not told apart');
  // Percentages: one decimal, then as many more as needed.
  const pct = (v: number, e: number) => formatMetric('test_accuracy', v, e);
  assert.equal(extraDigits(0.938741, values, pct), 2);
  assert.deepEqual([pct(0.938712, 2), pct(0.938741, 2)], ['93.871%', '93.874%']);
  const loss = (v: number, e: number) => formatMetric('val_loss', v, e);
  const e = extraDigits(0.1234049, [0.1234049, 0.1234451], loss);
  assert.deepEqual([e, loss(0.1234049, e), loss(0.1234451, e)], [2, '0.1234', '0.12345']);
  assert.equal(extraDigits(0.5, [0.5, 0.5 + 1e-15], numMore), 8, 'at most 8 more, even if they still print alike');
});

test('durations round to whole seconds before splitting minutes: never "60 s"', () => {
  assert.deepEqual([1234, 59_970, 95_000, 119_600, 3_599_700].map(seconds), ['1.2 s', '1 min 0 s', '1 min 35 s', '2 min 0 s', '1 h 0 min']);
  assert.deepEqual([1234, 59_970, 119_600].map(duration), ['1.2s', '1m00s', '2m00s']);
});

test('the dashboard wire keeps NaN and Infinity (JSON alone would make them null), and strings that read "NaN" stay strings', () => {
  const m = { type: 'x', final: { val_loss: NaN, loss: Infinity, low: -Infinity, ok: 0.5 }, name: 'NaN', list: [1, NaN] };
  const back = fromWire<typeof m>(JSON.parse(JSON.stringify(toWire(m))));
  assert.deepEqual(back, m);
  assert.equal(typeof back.name, 'string');
});

test('sorting runs by a metric puts NaN with the missing values, last either way', () => {
  const run = (id: string, v?: number) => ({ rec: { id, final: v === undefined ? {} : { val_loss: v } } as unknown as RunRecord });
  const runs = [run('a', 38.9), run('b', NaN), run('c', 0.23), run('d'), run('e', 1.03)];
  assert.deepEqual(sortRuns(runs, 'val_loss').map((r) => r.rec.id), ['c', 'e', 'a', 'b', 'd']);
  assert.deepEqual(sortRuns(runs, 'val_loss:desc').map((r) => r.rec.id), ['a', 'e', 'c', 'b', 'd']);
});

test('a table column counts epochs, rounds, or both', () => {
  assert.deepEqual([['train'], ['federated', 'federated'], ['federated', undefined]].map((k) => stepsLabel(k as never)), ['epochs', 'rounds', 'epochs / rounds']);
});

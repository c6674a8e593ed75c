// Event, Summary and TensorProto decoding, scalar classification and the step -> metric line mapping,
// on protos encoded by the independent reference writer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  classify, decodeEvent, float32Decimal, sessionStartHparams, tensorNumber, toMetricLines, type ScalarPoint,
} from '../../src/core/import';
import {
  event, hparamsValue, histoValue, histogramTensorValue, metadata, pbLen, pbString, pbVarint, scalarTensor, simpleValue,
  tensorValue, type TensorDtype, type TensorEncoding,
} from '../helpers/tb-writer';

test('float32Decimal writes a float32 as the shortest decimal that reads back to it', () => {
  assert.equal(float32Decimal(Math.fround(0.1)), 0.1);
  assert.equal(float32Decimal(Math.fround(1 / 3)), 0.33333334);
  assert.equal(float32Decimal(Math.fround(16777217)), 16777216);
  assert.equal(float32Decimal(0.5), 0.5);
  assert.ok(Number.isNaN(float32Decimal(NaN)));
  assert.equal(float32Decimal(-Infinity), -Infinity);
});

test('tensorNumber reads a scalar of each dtype from tensor_content, packed and unpacked *_val', () => {
  const cases: [TensorDtype, number, number][] = [
    ['float', 0.1, 0.1], ['double', 0.1, 0.1], ['int32', -7, -7], ['int64', 2 ** 40 + 3, 2 ** 40 + 3],
  ];
  for (const [dtype, v, want] of cases) {
    for (const enc of ['content', 'packed', 'unpacked'] as TensorEncoding[]) {
      assert.equal(tensorNumber(scalarTensor(v, dtype, enc)), want, `${dtype} ${enc}`);
    }
  }
});

test('tensorNumber refuses tensors that are not one number', () => {
  const dims = (...n: number[]) => pbLen(2, Buffer.concat(n.map((d) => pbLen(2, pbVarint(1, d)))));
  const content = pbLen(4, Buffer.alloc(8));
  assert.equal(tensorNumber(Buffer.concat([pbVarint(1, 1), dims(2), content])), undefined, 'two floats');
  assert.equal(tensorNumber(Buffer.concat([pbVarint(1, 1), dims(0)])), undefined, 'empty');
  assert.equal(tensorNumber(Buffer.concat([pbVarint(1, 7), pbLen(2, Buffer.alloc(0)), pbLen(8, Buffer.from('hi'))])), undefined, 'string');
  assert.equal(tensorNumber(Buffer.concat([pbVarint(1, 1), pbLen(2, Buffer.alloc(0))])), undefined, 'no value at all');
  assert.equal(tensorNumber(Buffer.concat([pbVarint(1, 1), dims(1, 1), pbLen(4, Buffer.from([0, 0, 0x80, 0x3f]))])), 1, 'shape [1, 1]');
});

test('decodeEvent reads wall time, step, file version and each value with its plugin', () => {
  assert.deepEqual(decodeEvent(event({ wallTime: 1700000000.5, fileVersion: 'brain.Event:2' })), {
    wallTime: 1700000000.5, step: 0, fileVersion: 'brain.Event:2', values: [],
  });
  const ev = decodeEvent(event({
    wallTime: 1700000001, step: 12,
    values: [
      simpleValue('loss', 0.3),
      tensorValue('acc', scalarTensor(0.75, 'float', 'content'), metadata('scalars', Buffer.alloc(0), 1)),
      histoValue('weights'),
    ],
  }));
  assert.equal(ev.step, 12);
  assert.deepEqual(ev.values.map((v) => [v.tag, v.holds, v.plugin, v.scalarClass, v.number]), [
    ['loss', 'simple_value', undefined, false, 0.3],
    ['acc', 'tensor', 'scalars', true, 0.75],
    ['weights', 'histo', undefined, false, undefined],
  ]);
});

test('decodeEvent skips fields it does not know (source_metadata = 10, future fields)', () => {
  const extra = Buffer.concat([pbLen(10, pbString(1, 'tensorflow.core.util.events_writer')), pbVarint(99, 5)]);
  const ev = decodeEvent(Buffer.concat([event({ wallTime: 2, step: 3, values: [simpleValue('x', 1)] }), extra]));
  assert.deepEqual([ev.step, ev.values[0].number], [3, 1]);
});

test('classify: simple values and scalar tensors are scalars, hparams are read, the rest is skipped', () => {
  const v = (buf: Buffer) => decodeEvent(event({ wallTime: 1, values: [buf] })).values[0];
  const scalarT = v(tensorValue('a', scalarTensor(1, 'float', 'content')));
  assert.equal(classify(v(simpleValue('a', 1)), undefined), 'scalar');
  assert.equal(classify(scalarT, 'scalars'), 'scalar', "a tag's later values carry no metadata: its remembered plugin counts");
  assert.equal(classify(scalarT, undefined), 'scalar', 'a plugin-less one-number tensor');
  assert.equal(classify(scalarT, 'text'), 'skip', "another plugin's tensor");
  assert.equal(classify(v(histogramTensorValue('h')), 'histograms'), 'skip');
  assert.equal(classify(v(histoValue('h')), undefined), 'skip');
  assert.equal(classify(v(hparamsValue({ lr: 0.1 })), 'hparams'), 'hparams');
});

test('sessionStartHparams reads numbers, strings and booleans of the hparams plugin content', () => {
  const [value] = decodeEvent(event({ wallTime: 1, values: [hparamsValue({ lr: 0.001, optimizer: 'adam', dropout: true, layers: 3 })] })).values;
  assert.equal(value.plugin, 'hparams');
  assert.deepEqual(sessionStartHparams(value.pluginContent!), { lr: 0.001, optimizer: 'adam', dropout: true, layers: 3 });
});

test('toMetricLines groups by step, carries lr forward, keeps the last and the best value of each tag', () => {
  const p = (step: number, wallTime: number, tag: string, value: number): ScalarPoint => ({ step, wallTime, tag, value });
  const c = toMetricLines([
    p(10, 100.5, 'loss', 0.9), p(10, 100.5, 'train/accuracy', 0.5), p(10, 100.75, 'lr', 0.1),
    p(30, 103, 'loss', 0.7), p(30, 103, 'train/accuracy', 0.8),
    p(20, 102, 'loss', 0.6), p(20, 102, 'train/accuracy', 0.7), p(20, 102.5, 'loss', 0.65),
  ], 100);
  assert.deepEqual(c.lines, [
    { epoch: 1, step: 10, time: 0.75, lr: 0.1, metrics: { loss: 0.9, 'train/accuracy': 0.5, lr: 0.1 }, tensors: 0 },
    { epoch: 2, step: 20, time: 2.5, lr: 0.1, metrics: { loss: 0.65, 'train/accuracy': 0.7 }, tensors: 0 },
    { epoch: 3, step: 30, time: 3, lr: 0.1, metrics: { loss: 0.7, 'train/accuracy': 0.8 }, tensors: 0 },
  ]);
  assert.deepEqual(c.tags, ['loss', 'lr', 'train/accuracy']);
  assert.equal(c.lrTag, 'lr');
  assert.deepEqual(c.final, { loss: 0.7, 'train/accuracy': 0.8, lr: 0.1 });
  assert.deepEqual(c.best, { loss: 0.65, 'train/accuracy': 0.8 }, 'a learning rate has no direction: no best');
});

test('toMetricLines: lr is NaN without a learning-rate tag (or before its first value); NaN is kept but never best', () => {
  const c = toMetricLines([{ step: 1, wallTime: 5, tag: 'loss', value: NaN }, { step: 2, wallTime: 6, tag: 'loss', value: 2 }], 5);
  assert.deepEqual(c.lines.map((l) => [l.lr, l.time]), [[NaN, 0], [NaN, 1]]);
  const later = toMetricLines([{ step: 1, wallTime: 5, tag: 'loss', value: 1 }, { step: 2, wallTime: 6, tag: 'lr', value: 0.1 }, { step: 3, wallTime: 7, tag: 'loss', value: 0.5 }], 5);
  assert.deepEqual(later.lines.map((l) => l.lr), [NaN, 0.1, 0.1]);
  assert.ok(Number.isNaN(c.lines[0].metrics.loss));
  assert.deepEqual(c.best, { loss: 2 });
  assert.equal(c.lrTag, undefined);
});

test('toMetricLines: any tag name is a key, __proto__ and constructor included', () => {
  const c = toMetricLines([
    { step: 1, wallTime: 5, tag: '__proto__', value: 0.5 }, { step: 1, wallTime: 5, tag: 'constructor', value: 3 },
    { step: 2, wallTime: 6, tag: '__proto__', value: 0.25 }, { step: 2, wallTime: 6, tag: 'loss', value: 1 },
  ], 5);
  assert.equal(c.tags.length, 3);
  assert.deepEqual(c.lines.map((l) => JSON.stringify(l.metrics)), ['{"__proto__":0.5,"constructor":3}', '{"__proto__":0.25,"loss":1}']);
  assert.equal(JSON.stringify(c.final), '{"__proto__":0.25,"constructor":3,"loss":1}');
  assert.equal(JSON.stringify(c.best), '{"loss":1}');
});

/** compress.json as text: sizes before and after with ratios, latency, accuracy, layers, sensitivity. */
import type { CompressReport } from '../core/compress';
import { num } from '../core/format';
import { table } from './format';

const pct = (v: number | undefined) => (v === undefined ? '' : `${(100 * v).toFixed(2)}%`);
const ms = (v: number | undefined) => (v === undefined ? '' : v.toFixed(v < 10 ? 3 : 1));
const ratio = (base: number, v: number | undefined) => (v ? `${(base / v).toFixed(1)}x` : '');

/** The lines `hone show` and `hone compress` print for a compressed run. */
export function compressionLines(r: CompressReport): string[] {
  // The test split's accuracy or mse, else (no test split) the validation split's.
  const split = Object.keys(r.after.metrics).some((k) => k.startsWith('test_')) ? 'test' : 'val';
  const task = r.after.metrics[`${split}_accuracy`] !== undefined ? 'accuracy' : 'mse';
  const metric = (m: Record<string, number>) => (task === 'accuracy' ? pct(m[`${split}_accuracy`]) : num(m[`${split}_mse`]));
  const rows = [
    ['before', String(r.before.params), String(r.before.nonzero), String(r.before.float32Bytes), String(r.before.tfjsBytes), String(r.before.tfjsGzipBytes), String(r.before.packedBytes ?? ''), metric(r.before.metrics), ms(r.before.latency?.b1Ms), ms(r.before.latency?.b256Ms)],
    ['after', String(r.after.params), String(r.after.nonzero), String(r.after.float32Bytes), String(r.after.tfjsBytes), String(r.after.tfjsGzipBytes), String(r.after.packedBytes), metric(r.after.metrics), ms(r.after.latency?.b1Ms), ms(r.after.latency?.b256Ms)],
    [`vs dense float32 (${r.denseBytes} B)`, '', '', ratio(r.denseBytes, r.after.float32Bytes), ratio(r.denseBytes, r.after.tfjsBytes), ratio(r.denseBytes, r.after.tfjsGzipBytes), ratio(r.denseBytes, r.after.packedBytes), '', '', ''],
  ];
  const layers = r.layers.map((l) => [l.name, l.shape.join('x'), String(l.nonzero), pct(1 - l.nonzero / l.params), String(l.distinct), l.bits ? String(l.bits) : '', l.clusters ? String(l.clusters) : '', `${l.layout} ${l.coding}`, String(l.packedBytes)]);
  const out = [
    `compression (${r.latencyMethod.runs ? `latency on ${r.backend}: median of ${r.latencyMethod.runs} after ${r.latencyMethod.warmup} warm-up calls` : 'latency not measured'}; sizes in bytes)`,
    table(['model', 'params', 'nonzero', 'float32', 'TF.js', 'TF.js gzip', 'packed', `${split} ${task}`, 'ms batch 1', 'ms batch 256'], rows),
    '',
    table(['layer', 'shape', 'nonzero', 'sparsity', 'distinct', 'bits', 'clusters', 'in model.hone', 'bytes'], layers),
    `packed round trip: max |difference| ${r.roundTrip.maxAbsDiff} over ${r.roundTrip.samples} inputs; stages: ${r.stages.map((s) => `${s.stage} (epochs ${s.firstEpoch}-${s.lastEpoch})`).join(', ') || 'none retrained'}`,
  ];
  const s = r.sensitivity;
  if (s) {
    const levels = [...new Set(s.rows.map((x) => `${x.technique} ${x.level}`))];
    const names = [...new Set(s.rows.map((x) => x.layer))];
    const cell = (layer: string, level: string) => num(s.rows.find((x) => x.layer === layer && `${x.technique} ${x.level}` === level)?.drop);
    out.push('', `sensitivity: drop in ${s.split} ${s.metric} (base ${num(s.base)}) with one layer pruned or quantized alone, no retraining`);
    out.push(table(['layer', ...levels.map((l) => l.replace('quantize ', '').replace(/^(\d+)$/, '$1 bits').replace(/^prune /, 'sparsity '))], names.map((n) => [n, ...levels.map((l) => cell(n, l))])));
  }
  return out;
}

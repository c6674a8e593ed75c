// The "Compression" section of bench/RESULTS.md from the runs' compress.json.
import type { CompressReport } from '../../src/core/compress/report';
import { mnistNote } from '../mnist-note';

/** A completed `hone compress` run (bench.ts stops at one that is not). */
export interface Row {
  label: string;
  report: CompressReport;
  seconds: number;
  /** Retraining epochs the compression took. */
  epochs: number;
}

interface Section {
  /** The command line that ran the bench, knobs included (results-md.ts commandLine). */
  command: string;
  rows: { model: string; rows: Row[]; denseSeconds: number }[];
  load: number[];
  loadAfter: number[];
  cores: number;
  cpu: string;
  minutes: number;
  settings: { EPOCHS: number; LENET5_EPOCHS: number; LIMIT?: number; QUICK: boolean; pruneEpochs: number };
  example: { compress: unknown; train: unknown };
}

const kb = (b: number) => (b >= 10_000 ? `${(b / 1000).toFixed(1)} kB` : `${b} B`);
const err = (m: Record<string, number>) => (m.test_accuracy === undefined ? 'n/a' : `${(100 * (1 - m.test_accuracy)).toFixed(2)}%`);
const x = (base: number, v: number) => `${(base / v).toFixed(1)}x`;
const ms = (v: number | undefined) => (v === undefined ? '' : v.toFixed(v < 1 ? 3 : 2));
const lat = (l: { b1Ms: number; b1MinMs: number } | undefined, b: 'b1' | 'b256') => (l ? `${ms((l as any)[`${b}Ms`])} (${ms((l as any)[`${b}MinMs`])})` : '');

function table(rows: Row[]): string {
  const head = '| model | test error | params | nonzero | dense float32 | TF.js files | TF.js gzip | packed (model.hone) | ratio: float32 / TF.js / gzip / packed | latency b1, ms: median (min) | latency b256, ms: median (min) | retrain epochs | time |';
  const sep = `|${' --- |'.repeat(13)}`;
  const base = rows[0].report;
  const lines: string[] = [];
  const dense = base.before;
  lines.push(`| dense baseline (as trained, before) | ${err(dense.metrics)} | ${dense.params} | ${dense.nonzero} | ${kb(base.denseBytes)} | ${kb(dense.tfjsBytes)} | ${kb(dense.tfjsGzipBytes)} | | 1.0x / ${x(base.denseBytes, dense.tfjsBytes)} / ${x(base.denseBytes, dense.tfjsGzipBytes)} / | ${lat(dense.latency, 'b1')} | ${lat(dense.latency, 'b256')} | | |`);
  for (const r of rows) {
    const a = r.report.after;
    const d = r.report.denseBytes;
    lines.push(`| ${r.label} | ${err(a.metrics)} | ${a.params} | ${a.nonzero} | ${kb(a.float32Bytes)} | ${kb(a.tfjsBytes)} | ${kb(a.tfjsGzipBytes)} | ${kb(a.packedBytes)} | ${x(d, a.float32Bytes)} / ${x(d, a.tfjsBytes)} / ${x(d, a.tfjsGzipBytes)} / **${x(d, a.packedBytes)}** | ${lat(a.latency, 'b1')} | ${lat(a.latency, 'b256')} | ${r.epochs} | ${r.seconds.toFixed(0)} s |`);
  }
  return [head, sep, ...lines].join('\n');
}

function layers(r: Row): string {
  const rows = r.report.layers.map((l) => `| ${l.name} | ${l.shape.join('x')} | ${l.nonzero} (${(100 * l.nonzero / l.params).toFixed(1)}%) | ${l.distinct} | ${l.layout} ${l.coding} | ${l.packedBytes} B (${(8 * l.packedBytes / Math.max(1, l.nonzero)).toFixed(2)} bits per nonzero) |`);
  return ['| layer | shape | nonzero (kept) | distinct values | stored as | bytes in model.hone |', '| --- | --- | --- | --- | --- | --- |', ...rows].join('\n');
}

/** The goal's verdict for a model: its full pipeline's ratio and test error against its dense baseline. */
function verdict(model: string, rows: Row[]): string {
  const full = rows[rows.length - 1].report;
  const ratio = full.denseBytes / full.after.packedBytes;
  const [before, after] = [1 - full.before.metrics.test_accuracy, 1 - full.after.metrics.test_accuracy];
  const met = ratio >= 50 && after <= before;
  return `- ${model}: full pipeline **${ratio.toFixed(1)}x** smaller than dense float32 (${kb(full.denseBytes)} -> ${kb(full.after.packedBytes)}), test error ${(100 * before).toFixed(2)}% -> ${(100 * after).toFixed(2)}%: goal (>= 50x, error no worse than dense) **${met ? 'met' : 'missed'}**.`;
}

/** What the figures say about latency, read from the rows: the fastest batch-256 call, dense vs pruned vs structured. */
function latencyNote(m: { model: string; rows: Row[] }): string | undefined {
  const find = (re: RegExp) => m.rows.find((r) => re.test(r.label))?.report;
  const dense = m.rows[0].report;
  const pruned = find(/^magnitude|^full pipeline/);
  const structured = find(/^structured/);
  if (!dense?.before.latency || !pruned?.after.latency || !structured?.after.latency) return undefined;
  const d = dense.before.latency.b256MinMs;
  const speed = (v: number) => `${ms(v)} ms (${(d / v).toFixed(1)}x)`;
  return `- ${m.model}, fastest batch-256 call: dense ${ms(d)} ms; pruned to ${(100 * pruned.after.sparsity).toFixed(0)}% zeros ${speed(pruned.after.latency.b256MinMs)}; structured ${speed(structured.after.latency.b256MinMs)}.`;
}

export function reportSection(s: Section): string {
  const out: string[] = [];
  const st = s.settings;
  out.push(`Command: \`${s.command}\` (\`make bench\` runs it with the defaults; \`QUICK=1\` for a smoke run). ${s.cores} cores (${s.cpu.trim()}), 1-minute load average ${s.load[0].toFixed(1)} at the start and ${s.loadAfter[0].toFixed(1)} at the end (the machine is shared); ${s.minutes.toFixed(0)} minutes in all.`);
  out.push(`Every model is a real run in a store: the dense one by \`hone run\` (${st.EPOCHS} epochs for LeNet-300-100, ${st.LENET5_EPOCHS} for LeNet-5${st.LIMIT ? `, first ${st.LIMIT} training images` : ', all 60,000 training images (57,000 train, 3,000 validation)'}, Adam with cosine decay, batch 128, \`normalize: scale\`), each compressed one by \`hone compress <dense run>\` with the section named. Test error on the official 10,000 test images. Sizes are of the files written (definitions in src/core/compress/report.ts): dense float32 = 4 bytes x weights of the dense model, the baseline of every ratio; TF.js = model.json + weights.bin as saved (uint8 / float16 in the manifest when exact); gzip = each file at level 9; packed = model.hone, everything (topology included) needed to rebuild the model. Latency: \`predict\` of the saved model as plain tf.loadLayersModel loads it, on the run's backend (${s.rows[0]?.rows[0]?.report?.backend ?? '?'}, single-threaded), warm-up then the median of the timed calls, before and after timed in alternation.`);
  out.push('', 'Anchor: Deep Compression (arXiv:1510.00149) made LeNet-300-100 40x smaller (1070 KB -> 27 KB, test error 1.64% -> 1.58%) and its LeNet-5 (431k weights; ours is the 108k-weight LeNet-5 of bench/engine) 39x.', '', mnistNote("Deep Compression's test errors"), '', ...s.rows.map((m) => verdict(m.model, m.rows)));
  out.push(
    '',
    'Reading the tables:',
    '- Unstructured sparsity shrinks the files (gzip, and far more the packed format) but not inference time: TF.js has no sparse kernels, so a pruned dense layer multiplies its zeros like any weight. Structured pruning removes units and filters, so it shrinks both:',
    ...s.rows.map(latencyNote).filter((l): l is string => l !== undefined).map((l) => `  ${l}`),
    '- Latency medians are taken on a shared machine (load above) and jump when another job runs; the fastest call (in parentheses) is the steadier figure. Models compared are timed in alternation, so both meet the same load.',
    '- What limits the packed size: about 5 bits per nonzero for its position (Huffman-coded gaps, a little under the entropy of a random mask of that density) and about 3.5 for its 16-value codebook index (bits per nonzero per layer below), plus about 1.6 kB for the topology (deflated JSON, 0.8 kB) and the float16 biases. Fewer nonzeros cost accuracy.',
    '- Normalisation: `normalize: scale` (pixel / 255). `standard` normalisation would centre the inputs but puts 784 x 4 preprocessing weights into the saved model, which every size here counts (about 9 kB packed).',
  );
  for (const m of s.rows) {
    out.push('', `### ${m.model}`, '', `Dense training took ${m.denseSeconds.toFixed(0)} s.`, '', table(m.rows));
    const full = m.rows[m.rows.length - 1];
    out.push('', `Per layer, ${full.label}:`, '', layers(full));
  }
  return out.join('\n');
}

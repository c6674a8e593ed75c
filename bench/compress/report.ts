// The "Compression" section of bench/RESULTS.md from the runs' compress.json.
import type { CompressReport } from '../../src/core/compress/report';

export interface Row {
  label: string;
  status: string;
  message?: string;
  /** Absent when the run failed before writing compress.json. */
  report?: CompressReport;
  seconds: number;
  /** Retraining epochs the compression took. */
  epochs: number;
}

interface Section {
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
  const base = rows.find((r) => r.report)?.report;
  if (!base) return rows.map((r) => `- ${r.label}: ${r.status} (${r.message ?? ''})`).join('\n');
  const lines: string[] = [];
  const dense = base.before;
  lines.push(`| dense baseline (as trained, before) | ${err(dense.metrics)} | ${dense.params} | ${dense.nonzero} | ${kb(base.denseBytes)} | ${kb(dense.tfjsBytes)} | ${kb(dense.tfjsGzipBytes)} | | 1.0x / ${x(base.denseBytes, dense.tfjsBytes)} / ${x(base.denseBytes, dense.tfjsGzipBytes)} / | ${lat(dense.latency, 'b1')} | ${lat(dense.latency, 'b256')} | | |`);
  for (const r of rows) {
    if (!r.report) {
      lines.push(`| ${r.label} (${r.status}: ${r.message ?? ''}) |${' |'.repeat(12)}`);
      continue;
    }
    const a = r.report.after;
    const d = r.report.denseBytes;
    const status = r.status === 'completed' ? '' : ` (${r.status})`;
    lines.push(`| ${r.label}${status} | ${err(a.metrics)} | ${a.params} | ${a.nonzero} | ${kb(a.float32Bytes)} | ${kb(a.tfjsBytes)} | ${kb(a.tfjsGzipBytes)} | ${kb(a.packedBytes)} | ${x(d, a.float32Bytes)} / ${x(d, a.tfjsBytes)} / ${x(d, a.tfjsGzipBytes)} / **${x(d, a.packedBytes)}** | ${lat(a.latency, 'b1')} | ${lat(a.latency, 'b256')} | ${r.epochs} | ${r.seconds.toFixed(0)} s |`);
  }
  return [head, sep, ...lines].join('\n');
}

function layers(r: Row): string {
  if (!r.report) return `(${r.status})`;
  const rows = r.report.layers.map((l) => `| ${l.name} | ${l.shape.join('x')} | ${l.nonzero} (${(100 * l.nonzero / l.params).toFixed(1)}%) | ${l.distinct} | ${l.layout} ${l.coding} | ${l.packedBytes} B (${(8 * l.packedBytes / Math.max(1, l.nonzero)).toFixed(2)} bits per nonzero) |`);
  return ['| layer | shape | nonzero (kept) | distinct values | stored as | bytes in model.hone |', '| --- | --- | --- | --- | --- | --- |', ...rows].join('\n');
}

export function reportSection(s: Section): string {
  const out: string[] = [];
  const st = s.settings;
  out.push(`Command: \`bash bench/compress/run.sh\` (\`make bench\` runs it; \`QUICK=1\` for a smoke run). ${s.cores} cores (${s.cpu.trim()}), 1-minute load average ${s.load[0].toFixed(1)} at the start and ${s.loadAfter[0].toFixed(1)} at the end (the machine is shared); ${s.minutes.toFixed(0)} minutes in all.`);
  out.push(`Every model is a real run in a store: the dense one by \`hone run\` (${st.EPOCHS} epochs for LeNet-300-100, ${st.LENET5_EPOCHS} for LeNet-5${st.LIMIT ? `, first ${st.LIMIT} training images` : ', all 60,000 training images (57,000 train, 3,000 validation)'}, Adam with cosine decay, batch 128, \`normalize: scale\`), each compressed one by \`hone compress <dense run>\` with the section named. Test error on the official 10,000 test images. Sizes are of the files written (definitions in src/core/compress/report.ts): dense float32 = 4 bytes x weights of the dense model, the baseline of every ratio; TF.js = model.json + weights.bin as saved (uint8 / float16 in the manifest when exact); gzip = each file at level 9; packed = model.hone, everything (topology included) needed to rebuild the model. Latency: \`predict\` of the saved model as plain tf.loadLayersModel loads it, on the run's backend (${s.rows[0]?.rows[0]?.report?.backend ?? '?'}, single-threaded), warm-up then the median of the timed calls, before and after timed in alternation.`);
  for (const m of s.rows) {
    out.push('', `### ${m.model}`, '', `Dense training took ${m.denseSeconds.toFixed(0)} s.`, '', table(m.rows));
    const full = m.rows[m.rows.length - 1];
    out.push('', `Per layer, ${full.label}:`, '', layers(full));
  }
  return out.join('\n');
}

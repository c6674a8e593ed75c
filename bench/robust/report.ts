// The "Robustness" section of bench/RESULTS.md from what robust.ts measured.
import type { RunRecord } from '../../src/core/store/types';
import type { ReferenceRow } from './reference';
import { PGD_AT_STEPS, type BenchKnobs } from './specs';
import { mnistNote } from '../mnist-note';

export interface BenchRow {
  label: string;
  rec: RunRecord;
  /** The `hone attack` run with PGD-50 x 10 (its RunView). */
  pgd: { status: string; metrics: Record<string, number> };
  wallS: number;
  pgdWallS: number;
  /** 1-minute load average when the run started. */
  load: number;
}

export interface Speed {
  impl: string;
  backend: string;
  batch: number;
  samplesPerSec: number;
  version?: string;
  error?: string;
}

const pct = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? 'n/a' : `${(100 * v).toFixed(2)}%`);
const secs = (ms: number | undefined) => (ms === undefined ? 'n/a' : `${(ms / 1000).toFixed(0)} s`);

export function robustReport(o: { command: string; rows: BenchRow[]; reference?: ReferenceRow[]; speeds: Speed[]; knobs: BenchKnobs; machine: string; quick: boolean; date: string; endLoad: number }): string {
  const k = o.knobs;
  const lines: string[] = [];
  lines.push(`Command: \`${o.command}\` (\`make bench\` runs \`bash bench/robust/run.sh\`, without the reference rows; \`QUICK=1\` for a smoke run of a few minutes).${o.quick ? ' **This is a QUICK run: its numbers mean nothing.**' : ''}
${o.machine}; ${o.date}; 1-minute load average ${o.endLoad.toFixed(1)} at the end. Times are wall-clock: the load averages say how busy the machine was.

Model: Wong et al. 2020's MNIST network (conv 16 4x4 stride 2, conv 32 4x4 stride 2, FC 100, FC 10: 166,406 weights), the
first ${k.limit} MNIST training images (95% train, 5% validation), batch 100, Adam, seed 1, backend auto (${backends(o.rows)} here). Standard:
lr 1e-3, ${k.standardEpochs} epochs. Fast-AT (\`robustness.train: {method: fast, eps: 0.3, alpha: 0.375}\`): FGSM from a uniform random
start (the gradient taken at x + delta0 not clipped to [0, 1], as Wong et al.'s MNIST code), one-cycle lr peaking at 5e-3 at 40% of
training, ${k.fastEpochs} epochs, the epoch with the best \`val_robust_accuracy\` kept (PGD-10 on 500 validation images; a fall of more than 0.2
below the best is catastrophic overfitting and ends training). Robust accuracy on the first ${k.points} MNIST test images at eps 0.3 (linf, in [0, 1] = pixel / 255, before the
model's own \`hone_rescale\` layer), Hone's ensemble \`APGD-CE (100 steps) -> APGD-DLR (100) -> Square (${k.squareQueries} queries)\`, each on the points the
ones before it left robust, so a point counts as robust only if all three fail; every example is checked (inside the eps ball and
[0, 1], exactly) before it is scored; 95% Clopper-Pearson intervals. Then \`hone attack <run>\` with PGD-50 x 10 restarts (step 0.01, as
Wong et al. evaluate) alone, on the same points.`);
  lines.push('');
  lines.push('| model | clean test accuracy (10,000) | clean, first ' + k.points + ' | robust, Hone ensemble [95% CI] | robust, PGD-50 x 10 [95% CI] | APGD-CE broke | APGD-DLR broke | Square broke | training | evaluation | load at start | red flags |');
  lines.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of o.rows) {
    const f = r.rec.final ?? {};
    const ev = r.rec.robustness?.evaluation;
    const head = ev?.perEps.find((e) => e.eps === ev.headline);
    const broke = (name: string) => {
      const a = head?.attacks.find((t) => t.name === name);
      return a ? `${a.broke} of ${a.ran}` : 'n/a';
    };
    const p = r.pgd.metrics;
    const flags = r.rec.robustness?.flags.map((x) => x.id).join(', ') || 'none';
    lines.push(`| ${r.label} | ${pct(f.test_accuracy)} | ${pct(f.clean_accuracy)} | **${pct(f.robust_accuracy)}** [${pct(f.robust_accuracy_low)}, ${pct(f.robust_accuracy_high)}] | ${pct(p.robust_accuracy)} [${pct(p.robust_accuracy_low)}, ${pct(p.robust_accuracy_high)}] | ${broke('apgd-ce')} | ${broke('apgd-dlr')} | ${broke('square')} | ${secs(r.rec.timings?.trainMs)} | ${secs(ev?.ms)} (PGD-50 x 10: ${r.pgdWallS.toFixed(0)} s) | ${r.load.toFixed(1)} | ${flags} |`);
  }
  lines.push('');
  const fast = o.rows.find((r) => r.label.startsWith('Fast-AT'));
  if (fast) {
    const f = fast.rec.final ?? {};
    const reached = (f.robust_accuracy ?? 0) >= 0.88 && (f.test_accuracy ?? 0) >= 0.98;
    lines.push(`Goal: Fast-AT robust accuracy under Hone's ensemble >= 88% with clean accuracy >= 98%. Measured: ${pct(f.robust_accuracy)} robust, ${pct(f.test_accuracy)} clean: **${reached ? 'reached' : 'not reached'}**.`);
  }
  const stronger = o.rows.map((r) => `${r.label}: ${(r.rec.final?.robust_accuracy ?? 1) <= (r.pgd.metrics.robust_accuracy ?? 0) ? 'yes' : 'NO'} (${pct(r.rec.final?.robust_accuracy)} <= ${pct(r.pgd.metrics.robust_accuracy)})`);
  lines.push(`Hone's ensemble at least as strong as PGD-50 x 10 on the same points: ${stronger.join('; ')}.`);
  if (!o.rows.some((r) => r.label.startsWith('PGD-AT'))) lines.push(pgdAtNotRun(fast));
  lines.push('');
  lines.push('Red flags and diagnostics (the whole-box check is a 40-step PGD at eps 1 on the first 100 correctly classified points):');
  lines.push('');
  for (const r of o.rows) {
    const ev = r.rec.robustness?.evaluation;
    const d = ev?.diagnostics;
    const t = r.rec.robustness?.training;
    const diag = d ? `zero margin-loss gradients ${d.zeroGradient} of ${d.checked}, vanishing cross-entropy gradients ${d.vanishingGradient} of ${d.checked}, randomised forward ${d.randomized ? 'yes' : 'no'}, robust at eps 1: ${d.largeEps?.robust} of ${d.largeEps?.points}` : 'no diagnostics';
    const train = t ? `; training: ${t.collapse ? `catastrophic overfitting at epoch ${t.collapse.epoch}, training ended there` : 'no catastrophic overfitting'}, kept epoch ${t.keptEpoch ?? 'last'}` : '';
    lines.push(`- ${r.label}: ${diag}${train}.`);
    for (const fl of r.rec.robustness?.flags ?? []) lines.push(`  - **${fl.id}**: ${fl.message}`);
  }
  lines.push('');
  lines.push(`Published anchors (MNIST, linf eps 0.3; larger models and budgets than here): Madry et al. 2018 PGD-AT 98.5% clean, 89.6% under
PGD with restarts, 88.5% under AutoAttack; Wong et al. 2020 Fast-AT (this network) 98.5% clean, 88.8% under PGD-50 x 10, 82.9% under
AutoAttack; TRADES (Zhang et al. 2019) 92.8% under AutoAttack (not run here). AutoAttack's standard version runs targeted APGD-DLR
(9 target classes) and FAB-T where Hone runs one untargeted APGD-DLR, and is usually a little stronger: robust accuracy under Hone's
ensemble is an upper bound that AutoAttack may lower.`);
  lines.push('', mnistNote('these published figures'));
  if (o.reference?.length) lines.push('', ...referenceTable(o.reference, k.points));
  lines.push('');
  lines.push('PGD-40 throughput (linf, random start), Wong et al.\'s network in inference mode, a batch of 500 MNIST test images, best of 3 rounds (each after a warm-up, the implementations taking turns); samples/s = points attacked per second (40 gradient steps each). The backend column says how many threads each used.');
  lines.push('');
  lines.push('| implementation | backend | batch | samples/s |');
  lines.push('| --- | --- | --- | --- |');
  for (const s of o.speeds) lines.push(`| ${s.impl === 'hone' ? 'Hone (engine/robust/pgd.ts)' : `PyTorch ${s.version ?? ''}`} | ${s.backend} | ${s.batch} | ${s.error ? `fails: ${s.error}` : s.samplesPerSec.toFixed(1)} |`);
  const hone = o.speeds.find((s) => s.impl === 'hone');
  const ratios = o.speeds.filter((s) => s.impl === 'pytorch' && hone && !s.error).map((s) => `${(hone!.samplesPerSec / s.samplesPerSec).toFixed(2)} against ${s.backend}`);
  lines.push('');
  const fastest = o.speeds.filter((s) => s.impl === 'pytorch' && !s.error).sort((a, b) => b.samplesPerSec - a.samplesPerSec)[0];
  const best = hone && fastest ? `; best against best: ${(hone.samplesPerSec / fastest.samplesPerSec).toFixed(2)}` : '';
  lines.push(`Hone / PyTorch, PGD-40 samples/s: ${ratios.join('; ') || 'n/a'}${best}.`);
  return lines.join('\n');
}

/** The backends the runs trained on, as their run.json says. */
const backends = (rows: BenchRow[]) => [...new Set(rows.map((r) => r.rec.backend?.name ?? 'unknown'))].join(', ');

/** Why there is no PGD-AT row, and what one would cost: its passes per image against Fast-AT's, at the Fast-AT run's pace. */
function pgdAtNotRun(fast: BenchRow | undefined): string {
  const passes = PGD_AT_STEPS + 1;
  const trainMs = fast?.rec.timings?.trainMs;
  const minutes = trainMs && Math.max(1, Math.round((trainMs * passes) / 2 / 60000));
  const cost = minutes ? `, so about ${passes / 2} times Fast-AT's training time: about ${minutes} minute${minutes > 1 ? 's' : ''} for as many epochs at the Fast-AT run's pace above` : '';
  return `PGD-AT was not run (\`PGD_EPOCHS=N\` adds it): PGD-${PGD_AT_STEPS} training makes ${passes} forward-backward passes per image against Fast-AT's 2${cost}.`;
}

/** Wong et al.'s released models (reference.ts) under the same attacks on the same points. */
function referenceTable(rows: ReferenceRow[], points: number): string[] {
  const ci = (m: Record<string, number>) => `${pct(m.robust_accuracy)} [${pct(m.robust_accuracy_low)}, ${pct(m.robust_accuracy_high)}]`;
  const fgsm = rows.find((r) => r.file === 'fgsm.pth');
  return [
    `Reference (\`WONG_MODELS=<folder>\`): Wong et al.'s released models (github.com/locuslab/fast_adversarial, MNIST/models; fgsm.pth is their`,
    `Fast-AT model, pgd_madry.pth PGD-AT as Madry et al.), copied into a Hone run of the same network and attacked as above on the first ${points}`,
    'test images, beside a PyTorch PGD-50 x 10 written from their evaluate_mnist.py. A file that classifies inverted images (1 - x) better',
    'than x is evaluated on 1 - x (Hone: its input layer computes 1 - pixel / 255), which is the same linf problem: the [0, 1] box maps onto itself.',
    'As this copy\'s tone curve is not linear, 1 - x is not LeCun\'s images either: in the pixels quoted at the top of this file it is off by up to 22 grey levels (0.09).',
    '',
    '| model | clean on x | clean on 1 - x | robust, Hone ensemble [95% CI] | robust, Hone PGD-50 x 10 | robust, PyTorch PGD-50 x 10 |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.file} | ${pct(r.torch.clean)} | ${pct(r.torch.cleanInverted)} | **${ci(r.ensemble)}** | ${ci(r.pgd)} | ${pct(r.torch.pgd50x10)} |`),
    '',
    ...(fgsm ? [`Under Hone's ensemble the authors' own Fast-AT model keeps ${pct(fgsm.ensemble.robust_accuracy)} (their paper: 82.9% under AutoAttack, 88.8% under PGD-50 x 10, on all`,
      `10,000 test images)${fgsm.ensemble.robust_accuracy < 0.88 ? ': the goal of 88% under this ensemble is above what the method reached in its authors\' hands' : ''}.`] : []),
  ];
}

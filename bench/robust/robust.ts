// `bash bench/robust/run.sh` -> section "Robustness" of bench/RESULTS.md: Wong et al.'s MNIST network trained
// normally and with Fast-AT through the real CLI (`hone run`, each spec's robustness.evaluate scoring the
// saved model under APGD-CE, APGD-DLR and Square at eps 0.3), then `hone attack` with PGD-50 x 10 restarts
// on the same points, and PGD-40 throughput against PyTorch. Knobs: see specs.ts (QUICK=1 for a smoke run);
// WONG_MODELS=<folder with Wong et al.'s released fgsm.pth, pgd_madry.pth> adds their reference rows (reference.ts).
import { execSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandLine, writeSection } from '../results-md';
import { MNIST } from '../engine/workloads';
import { hone, PGD_50_10, ROOT } from './cli';
import { benchSpecs, knobs } from './specs';
import { referenceRows, type ReferenceRow } from './reference';
import { robustReport, type BenchRow, type Speed } from './report';

function jsonLine(cmd: string, args: string[]): Speed {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8' });
  const line = r.stdout.split('\n').find((l) => l.startsWith('{'));
  return line ? JSON.parse(line) : { impl: args.join(' '), backend: '', batch: 0, samplesPerSec: NaN, error: (r.stderr || `exit ${r.status}`).trim().split('\n').pop() };
}

function main(): void {
  const env = process.env.QUICK === '1' ? { LIMIT: '3000', STD_EPOCHS: '1', FAST_EPOCHS: '2', POINTS: '100', SQUARE_QUERIES: '200', ...process.env } : process.env;
  const k = knobs(env);
  const start = { load: loadavg()[0], uptime: execSync('uptime').toString().trim(), when: new Date().toISOString().slice(0, 10) };
  const tmp = mkdtempSync(join(tmpdir(), 'hone-bench-robust-'));
  const store = join(tmp, 'store');
  const rows: BenchRow[] = [];
  let reference: ReferenceRow[] | undefined;
  try {
    for (const { label, spec } of benchSpecs(k)) {
      const file = join(tmp, `${spec.name}.hone.json`);
      writeFileSync(file, JSON.stringify(spec, null, 2));
      const load = loadavg()[0];
      const run = hone(['run', file, '--store', store]);
      const rec = JSON.parse(readFileSync(join(run.view.runDir, 'run.json'), 'utf8'));
      console.log(`${label}: ${rec.status} ${JSON.stringify(rec.final)}`);
      const pgd = hone(['attack', rec.id, '--store', store, ...PGD_50_10]);
      console.log(`${label}, PGD-50x10: ${pgd.view.status} ${JSON.stringify(pgd.view.metrics)}`);
      rows.push({ label, rec, pgd: pgd.view, wallS: run.seconds, pgdWallS: pgd.seconds, load });
    }
    if (process.env.WONG_MODELS) reference = referenceRows(process.env.WONG_MODELS, k, store, tmp);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  // PyTorch is optional: run.sh tries to install it and goes on without it; its rows then say why they failed.
  // Processes alternate, one timed round each, three times over, and each keeps its best round: a burst of
  // other load then slows one round of each rather than all of one implementation.
  const commands: [string, string[]][] = [
    [process.execPath, ['--import', 'tsx', 'bench/robust/speed.ts', '500', '1']],
    ['/usr/bin/python3', ['bench/robust/torch_pgd.py', MNIST, '2', '500', '1']],
    ['/usr/bin/python3', ['bench/robust/torch_pgd.py', MNIST, '1', '500', '1']],
  ];
  const speeds: Speed[] = [];
  for (let round = 0; round < 3; round++) {
    commands.forEach(([cmd, args], i) => {
      const s = jsonLine(cmd, args);
      console.log(JSON.stringify(s));
      const kept = speeds[i];
      speeds[i] = !kept || kept.error ? s : s.error || s.samplesPerSec <= kept.samplesPerSec ? kept : s;
    });
  }
  // PyTorch's rows may say why they failed (it is optional); Hone's own speed is part of the measurement.
  if (speeds[0].error) throw new Error(`Hone's PGD-40 speed: ${speeds[0].error}`);
  const machine = `${cpus().length} cores (${cpus()[0].model.trim()}), Node ${process.version}; \`uptime\` at the start: ${start.uptime}`;
  const command = commandLine('bench/robust/run.sh', ['QUICK', 'LIMIT', 'STD_EPOCHS', 'FAST_EPOCHS', 'PGD_EPOCHS', 'POINTS', 'SQUARE_QUERIES', 'WONG_MODELS']);
  const body = robustReport({ command, rows, reference, speeds, knobs: k, machine, quick: process.env.QUICK === '1', date: start.when, endLoad: loadavg()[0] });
  writeSection(join(ROOT, 'bench/RESULTS.md'), 'Robustness', body);
  console.log(body);
}

try {
  main();
} catch (e) {
  console.error(`bench/robust failed, bench/RESULTS.md left as it was: ${(e as Error).message}`);
  process.exit(1);
}

// Reference rows: Wong et al.'s released MNIST models (github.com/locuslab/fast_adversarial, MNIST/models:
// fgsm.pth, their Fast-AT model, and pgd_madry.pth, PGD-AT as Madry et al.) under Hone's ensemble and
// PGD-50 x 10, and under PyTorch's PGD-50 x 10 on the same points. They show how strong Hone's attacks are
// on models with published figures, and what the method's authors' own model reaches under them. Hone
// does not ship these files: robust.ts runs this when WONG_MODELS names the folder that holds them.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { MNIST } from '../engine/workloads';
import { hone, PGD_50_10, ROOT } from './cli';
import { data, evaluate, WONG_LAYERS, type BenchKnobs } from './specs';

export interface ReferenceRow {
  file: string;
  /** PyTorch, first `points` test images: clean accuracy on x and on 1 - x, and PGD-50 x 10 on the input the model classifies. */
  torch: { clean: number; cleanInverted: number; inverted: boolean; pgd50x10: number; torch: string };
  ensemble: Record<string, number>;
  pgd: Record<string, number>;
}

const FILES = ['fgsm.pth', 'pgd_madry.pth'];

function python(args: string[]): string {
  const r = spawnSync('/usr/bin/python3', [join(ROOT, 'bench/robust/reference.py'), ...args], { cwd: join(ROOT, 'bench/robust'), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`reference.py ${args[0]}: ${r.stderr.trim().split('\n').pop()}`);
  return r.stdout;
}

/**
 * A Hone run of Wong et al.'s network holding `file`'s weights: a one-epoch run on 1,000 images makes the
 * run, then its weights are replaced. Where the model classifies 1 - x (their released files do), its
 * input layer becomes 1 - pixel / 255: the same linf problem, as the [0, 1] box maps onto itself.
 */
function asRun(file: string, inverted: boolean, k: BenchKnobs, store: string, tmp: string): string {
  const name = `wong-released-${basename(file, '.pth')}`;
  const spec = { name, seed: 1, backend: 'auto', data: { ...data(k), limit: 1000 }, model: { type: 'layers', layers: WONG_LAYERS }, train: { optimizer: 'adam', lr: 0.001, batchSize: 100, epochs: 1 } };
  const specFile = join(tmp, `${name}.hone.json`);
  writeFileSync(specFile, JSON.stringify(spec));
  const run = hone(['run', specFile, '--store', store]).view;
  python(['convert', file, join(run.runDir, 'model/weights.bin')]);
  if (inverted) {
    const modelJson = join(run.runDir, 'model/model.json');
    const m = JSON.parse(readFileSync(modelJson, 'utf8'));
    const rescale = m.modelTopology.config.layers.find((l: { config: { name: string } }) => l.config.name === 'hone_rescale');
    rescale.config = { ...rescale.config, scale: -rescale.config.scale, offset: 1 };
    writeFileSync(modelJson, JSON.stringify(m));
  }
  return run.id;
}

export function referenceRows(dir: string, k: BenchKnobs, store: string, tmp: string): ReferenceRow[] {
  return FILES.filter((f) => existsSync(join(dir, f))).map((f) => {
    const file = join(dir, f);
    const torch = JSON.parse(python(['score', file, MNIST, String(k.points)]));
    const id = asRun(file, torch.inverted, k, store, tmp);
    const attacks = `robustness.evaluate.attacks=${JSON.stringify(evaluate(k).attacks)}`;
    const ensemble = hone(['attack', id, '--store', store, '--eps', '0.3', '--points', String(k.points), '--set', attacks]).view.metrics;
    const pgd = hone(['attack', id, '--store', store, '--eps', '0.3', '--points', String(k.points), ...PGD_50_10]).view.metrics;
    console.log(`reference ${f}: ${JSON.stringify({ torch, ensemble, pgd })}`);
    return { file: f, torch, ensemble, pgd };
  });
}

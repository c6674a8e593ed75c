/**
 * What "Compress Run…" and "Evaluate Robustness…" offer in their quick picks: each preset is a list of
 * `path=value` assignments on the child run's spec, exactly what `hone compress <run> --set ...` and
 * `hone attack <run> --set ...` take, so a run made from the editor records the same overrides as one
 * made from the CLI. Pure (no vscode import), unit-tested: every preset makes a valid spec.
 */
import { setString, type Json } from '../core/spec';

export interface Preset {
  label: string;
  detail: string;
  sets: string[];
}

const PGD_QUICK = [{ attack: 'pgd', steps: 10 }];

export const COMPRESS_PRESETS: Preset[] = [
  { label: 'Prune 80%', detail: 'magnitude pruning of every layer on a polynomial schedule, 2 epochs of retraining under the masks', sets: ['compress.prune.sparsity=0.8'] },
  { label: 'Quantize to 8 bits', detail: 'post-training affine quantization, one scale per tensor: loads with plain tf.loadLayersModel', sets: ['compress.quantize.bits=8'] },
  { label: 'Quantize to 4 bits, per channel', detail: 'one scale per output unit, 1 epoch of quantization-aware training', sets: ['compress.quantize.bits=4', 'compress.quantize.granularity=channel', 'compress.quantize.epochs=1'] },
  { label: 'Remove half of the units', detail: 'structured pruning by L1 norm: a smaller network, faster as well as smaller; 1 epoch of retraining', sets: ['compress.structured.fraction=0.5'] },
  { label: 'Deep Compression pipeline', detail: 'prune 80%, share 16 k-means clusters per layer, packed with Huffman coding (Han et al. 2016)', sets: ['compress.prune.sparsity=0.8', 'compress.share.clusters=16'] },
];

export const ATTACK_PRESETS: Preset[] = [
  { label: 'Full ensemble', detail: 'APGD-CE, APGD-DLR and Square on the first 1000 test points (the run\'s own robustness.evaluate settings, when it has them)', sets: [] },
  { label: 'Quick look: PGD, 10 steps, 200 points', detail: 'one white-box attack: an upper bound on robust accuracy, in seconds', sets: [setString('robustness.evaluate.attacks', PGD_QUICK), 'robustness.evaluate.points=200'] },
];

/** The assignments that give a child run the `compress` section of another spec (an example's, say). */
export const compressSectionSets = (compress: Json): string[] => [setString('compress', compress)];

/**
 * `0.1, 0.3` as eps values, or why not: numbers separated by commas, as `hone attack --eps` takes them.
 * Whether each is a valid eps is the spec check's to say (planEvaluation), with its JSON path.
 */
export function parseEps(text: string): number[] | string {
  const parts = text.split(',').map((t) => t.trim());
  const values = parts.map((t) => (t === '' ? NaN : Number(t)));
  const bad = parts.find((_, i) => !Number.isFinite(values[i]));
  return bad === undefined ? values : `expected numbers separated by commas (e.g. 0.1,0.3), found ${JSON.stringify(bad)}`;
}

/**
 * Semantic checks on `compress`: layer names that exist in the model, structured pruning that leaves
 * every layer a unit (and spares the output layer), a polynomial schedule that ends after it begins,
 * float16 used without per-channel scales or quantization-aware training, and rewinding only with
 * retraining epochs.
 */
import type { Check } from './checks';
import type { SpecProblem } from './types';
import type { StructuredSpec } from './compress-types';
import { namedLayers, type NamedLayer } from '../compress/layers';
import { describeEnum, showFound } from './describe';
import { joinPath } from './paths';
import { didYouMean } from './suggest';

const SECTIONS = ['prune', 'structured', 'share', 'quantize'] as const;

const layersExist: Check = {
  reads: ['compress', 'model'],
  run: ({ spec: { compress, model } }) => {
    if (!compress) return [];
    const names = namedLayers(model).map((l) => l.name);
    return SECTIONS.flatMap((section) => Object.keys(compress[section]?.layers ?? {}).flatMap((name): SpecProblem[] => {
      if (names.includes(name)) return [];
      return [{ path: joinPath(`compress.${section}.layers`, name), expected: `a layer of this model, ${describeEnum(names)}${didYouMean(name, names)}`, found: showFound(name) }];
    }));
  },
};

/**
 * Structured pruning's problems on a network of `layers` (the spec's, or a compress parent's saved model,
 * `whose` naming it): every hidden layer keeps a unit, and the output layer is not named.
 */
export function structuredProblems(st: StructuredSpec, layers: NamedLayer[], whose = ''): SpecProblem[] {
  const out: SpecProblem[] = [];
  const output = layers[layers.length - 1].name;
  if (st.layers[output] !== undefined) out.push({ path: joinPath('compress.structured.layers', output), expected: `a hidden layer (${output} is the output layer)`, found: showFound(st.layers[output]) });
  for (const l of layers.filter((x) => !x.output)) {
    const own = st.layers[l.name];
    const fraction = own ?? st.fraction;
    if (Math.round(fraction * l.units!) < l.units!) continue;
    out.push({
      path: own === undefined ? 'compress.structured.fraction' : joinPath('compress.structured.layers', l.name),
      expected: `a fraction that leaves ${l.name} at least one of its ${l.units} units${whose} (round(fraction x ${l.units}) < ${l.units})`,
      found: showFound(fraction),
    });
  }
  return out;
}

const structuredLeavesUnits: Check = {
  reads: ['compress', 'model'],
  run: ({ spec: { compress, model } }) => {
    const st = compress?.structured;
    if (!st) return [];
    const layers = namedLayers(model);
    if (!layers.some((l) => !l.output)) return [{ path: 'compress.structured', expected: 'a model with a hidden dense or conv layer (the output layer keeps its units: they are the outputs)', found: `model type ${model.type}` }];
    return structuredProblems(st, layers);
  },
};

const scheduleInOrder: Check = {
  reads: ['compress'],
  run: ({ spec: { compress } }) => {
    const p = compress?.prune;
    if (p?.schedule.type !== 'polynomial') return [];
    const out: SpecProblem[] = [];
    if (p.schedule.end < p.schedule.begin) out.push({ path: 'compress.prune.schedule.end', expected: `a fraction >= begin (${p.schedule.begin})`, found: showFound(p.schedule.end) });
    if (p.schedule.initialSparsity > p.sparsity) out.push({ path: 'compress.prune.schedule.initialSparsity', expected: `at most the final sparsity (${p.sparsity})`, found: showFound(p.schedule.initialSparsity) });
    return out;
  },
};

/** Per-channel scales and quantization-aware training apply to the layers quantized to 2-8 bits: refused only where every layer is float16. */
const float16Plain: Check = {
  reads: ['compress', 'model'],
  run: ({ spec: { compress, model }, raw }) => {
    const q = compress?.quantize;
    if (!q || namedLayers(model).some((l) => (q.layers[l.name] ?? q.bits) !== 16)) return [];
    const wrote = (raw as { compress?: { quantize?: Record<string, unknown> } })?.compress?.quantize ?? {};
    const all = q.bits === 16 ? 'bits 16' : 'every layer at 16 bits (quantize.layers)';
    const out: SpecProblem[] = [];
    if (q.granularity === 'channel') out.push({ path: 'compress.quantize.granularity', expected: `"tensor" with ${all} (float16 has no scales)`, found: showFound(q.granularity) });
    if (q.epochs > 0 && wrote.epochs !== undefined) out.push({ path: 'compress.quantize.epochs', expected: `0 with ${all} (float16 needs no quantization-aware training)`, found: showFound(q.epochs) });
    return out;
  },
};

const rewindRetrains: Check = {
  reads: ['compress'],
  run: ({ spec: { compress } }) => {
    const p = compress?.prune;
    if (p?.schedule.type !== 'iterative' || p.schedule.rewind !== 'init' || p.epochs > 0) return [];
    return [{ path: 'compress.prune.schedule.rewind', expected: '"none" with prune.epochs 0 (rewinding resets the kept weights to their initial values: without retraining epochs the model saved would be untrained)', found: showFound('init') }];
  },
};

export const COMPRESS_CHECKS: readonly Check[] = [layersExist, structuredLeavesUnits, scheduleInOrder, float16Plain, rewindRetrains];

/**
 * The layers a `compress` section can name, known from the spec alone: the dense and conv layers in
 * order, `conv1`, `conv2`, ... and `dense1`, `dense2`, ..., the last dense layer being the output layer
 * Hone appends. The engine names the built layers the same way (engine/compress/layers.ts).
 */
import { hiddenLayers } from '../spec/layers';
import type { ModelSpec } from '../spec/types';

export interface NamedLayer {
  name: string;
  /** Output units (filters); undefined for the output layer, whose size depends on the data. */
  units?: number;
  output: boolean;
}

export function namedLayers(model: ModelSpec): NamedLayer[] {
  const count = { dense: 0, conv: 0 };
  const out: NamedLayer[] = [];
  for (const l of hiddenLayers(model, 0)) {
    if (l.type === 'dense') out.push({ name: `dense${++count.dense}`, units: l.units, output: false });
    if (l.type === 'conv2d') out.push({ name: `conv${++count.conv}`, units: l.filters, output: false });
  }
  out.push({ name: `dense${++count.dense}`, output: true });
  return out;
}

const SAVED_KIND: Record<string, { kind: string; size: string }> = { Dense: { kind: 'dense', size: 'units' }, Conv2D: { kind: 'conv', size: 'filters' } };

/**
 * The same layers, with their units, read from a saved model's model.json (TF.js layers format): what a
 * compress parent's network is, which structured pruning may have made smaller than its spec says.
 * Undefined when the file does not hold a sequential topology.
 */
export function savedLayers(modelJson: unknown): NamedLayer[] | undefined {
  const config = (modelJson as { modelTopology?: { config?: unknown } } | null)?.modelTopology?.config;
  const layers = Array.isArray(config) ? config : (config as { layers?: unknown } | undefined)?.layers;
  if (!Array.isArray(layers)) return undefined;
  const count: Record<string, number> = {};
  const out = layers.flatMap((l: { class_name?: string; config?: Record<string, unknown> }): NamedLayer[] => {
    const k = SAVED_KIND[l.class_name ?? ''];
    if (!k) return [];
    count[k.kind] = (count[k.kind] ?? 0) + 1;
    return [{ name: `${k.kind}${count[k.kind]}`, units: Number(l.config?.[k.size]), output: false }];
  });
  if (out.at(-1)?.name.startsWith('dense')) out[out.length - 1].output = true;
  return out;
}

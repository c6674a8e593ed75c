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

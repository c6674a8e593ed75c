/** Static facts about a data spec, known without loading a single sample. */
import type { DataSpec } from './types';

export type SpecTask = 'regression' | 'classification';

/**
 * Per-sample input shape: `[features]` for the generators, `[8, 8, 1]` for digits, `[28, 28, 1]`
 * for MNIST; undefined for CSV, whose width is only known once the file is read.
 */
export function inputShapeOf(data: DataSpec): number[] | undefined {
  switch (data.source) {
    case 'regression':
    case 'classification':
      return [data.features];
    case 'digits':
      return [8, 8, 1];
    case 'mnist':
      return [28, 28, 1];
    case 'csv':
      return undefined;
  }
}

/** The learning task a data spec implies; undefined for a CSV without `task` (guessed at load time). */
export function taskOf(data: DataSpec): SpecTask | undefined {
  if (data.source === 'regression') return 'regression';
  if (data.source === 'csv') return data.task;
  return 'classification';
}

/** True when samples are images (height, width, channels), so conv and pool layers apply. */
export function isImageData(data: DataSpec): boolean {
  return inputShapeOf(data)?.length === 3;
}

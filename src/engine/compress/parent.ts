/** The model of the run a `hone compress` run compresses (its parent), loaded as the network inside it. */
import type * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readRunRecord } from '../../core/store';
import { folderArtifacts, networkOf } from './artifacts';

export interface Parent {
  network: tf.Sequential;
  /** Its run folder. */
  dir: string;
  /** The parent's own `dense_bytes` when it was compressed itself: the baseline of the chain. */
  denseBytes?: number;
}

/** Loads the saved model of run `parentId`, a sibling of `runDir` in the store. */
export async function loadParent(runDir: string, parentId: string): Promise<Parent> {
  const dir = join(dirname(runDir), parentId);
  const model = join(dir, 'model');
  if (!existsSync(join(model, 'model.json'))) throw new Error(`parent run ${parentId} has no saved model (no ${join(model, 'model.json')})`);
  const denseBytes = readRunRecord(dir)?.final?.dense_bytes;
  return { network: await networkOf(folderArtifacts(model)), dir, ...(denseBytes ? { denseBytes } : {}) };
}

// Which earlier imports a new import of a folder skips for or replaces, and what it keeps of them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findImported, mergeAnnotations, type EarlierImport, type ImportSource } from '../../src/core/import';

const source = (path: string, sizes: number[]): ImportSource =>
  ({ format: 'tensorboard', path, files: sizes.map((size, i) => ({ name: `events.out.tfevents.${i}`, size })) });
const earlier = (id: string, experiment: string, src: ImportSource, steps = 3): EarlierImport => ({ id, experiment, steps, source: src });

test('findImported: an unchanged import of the folder (any experiment) is found; else the changed ones of the same experiment', () => {
  const now = source('/logs/live', [100, 250]);
  const grown = [earlier('a', 'logs', source('/logs/live', [100, 120])), earlier('b', 'copy', source('/logs/live', [100])), earlier('c', 'logs', source('/logs/other', [100, 250]))];
  assert.deepEqual(findImported(grown, now, 'logs'), { changed: [grown[0]] }, 'the copy in another experiment and the other folder stay');
  const same = [...grown, earlier('d', 'copy', now)];
  assert.deepEqual(findImported(same, now, 'logs'), { unchanged: same[3], changed: [] });
  assert.deepEqual(findImported([], now, 'logs'), { changed: [] });
});

test('mergeAnnotations: every tag once, the latest note, a star if any had one', () => {
  assert.deepEqual(mergeAnnotations([{ tags: ['a', 'b'], note: 'first' }, { tags: ['b', 'c'], starred: true }, {}]), { tags: ['a', 'b', 'c'], note: 'first', starred: true });
  assert.deepEqual(mergeAnnotations([{ note: 'old' }, { note: 'new' }]), { note: 'new' });
  assert.deepEqual(mergeAnnotations([{}]), {});
  assert.deepEqual(mergeAnnotations([]), {});
});

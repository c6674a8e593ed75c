/** `hone tag`, `hone note`, `hone star`: a user's annotations of runs (kept in meta.json, see store/annotations.ts). */
import { InputError } from '../core/errors';
import { annotateRun, type AnnotationEdit } from '../core/store/annotations';
import { explainWriteError, refusal } from '../core/store';
import { findRun, print, warn } from './io';
import { oneLine } from './terminal';

/** Annotates the runs `refs` name; every reference is resolved first, so a bad one changes nothing. */
async function annotate(store: string, refs: string[], edit: AnnotationEdit): Promise<number> {
  for (const { record } of refs.map((ref) => findRun(store, ref))) {
    let now;
    try {
      now = await annotateRun(store, record.id, edit);
    } catch (e) {
      // A store that refuses the write is no fault of the input: exit 1, saying why.
      throw refusal(e) ? explainWriteError(e, `the annotations of run ${record.id}`) : new InputError((e as Error).message);
    }
    const absent = edit.removeTags?.filter((t) => !record.tags?.includes(t)) ?? [];
    if (absent.length) warn(`run ${record.id} had no tag ${absent.map((t) => JSON.stringify(t)).join(', ')}: nothing to remove`);
    const tags = now.tags?.length ? now.tags.map((t) => JSON.stringify(t)).join(' ') : '(no tags)';
    print(`${record.id}  ${oneLine(record.name)}: ${tags}${now.starred ? ' \u2605' : ''}${now.note ? `  note: ${oneLine(now.note.split('\n')[0].slice(0, 60))}` : ''}`);
  }
  return 0;
}

/** `hone tag <run> <tag...> [--remove]`: adds (or removes) tags on one run. */
export function tagCommand(store: string, args: string[], remove: boolean): Promise<number> {
  const [ref, ...tags] = args;
  if (!ref || !tags.length) throw new InputError('hone tag: give a run and at least one tag (hone tag <run> <tag...> [--remove])');
  return annotate(store, [ref], remove ? { removeTags: tags } : { addTags: tags });
}

/** `hone note <run> <text>`: sets the run's note; an empty text removes it. */
export function noteCommand(store: string, args: string[]): Promise<number> {
  const [ref, ...words] = args;
  if (!ref || !words.length) throw new InputError('hone note: give a run and the note (hone note <run> "text"; "" removes it)');
  return annotate(store, [ref], { note: words.join(' ') });
}

/** `hone star <run...> [--remove]`. */
export function starCommand(store: string, refs: string[], remove: boolean): Promise<number> {
  if (!refs.length) throw new InputError('hone star: give at least one run');
  return annotate(store, refs, { starred: !remove });
}

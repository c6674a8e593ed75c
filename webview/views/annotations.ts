/**
 * Run detail's tags (each removable), a field to add one, the star and the note: edits go to the host as
 * `annotate`. The elements are made once; an update changes only the star's label and the tag chips, so
 * a note or a tag being typed survives a click on Star, an added tag and a live run's epochs. The note
 * field takes the saved note only while the user has not edited it; an edit not yet saved is kept per
 * run, so it is there again after looking at another run.
 */
import type { RunInfo } from '../../src/core/dashboard/protocol';
import { facts, fill, h } from '../lib/dom';
import * as ui from '../toolkit';
import type { ViewContext } from './types';

type Annotation = Omit<Extract<Parameters<ViewContext['post']>[0], { type: 'annotate' }>, 'type' | 'runId'>;

export function mountAnnotations(ctx: ViewContext): { el: HTMLElement; update(r: RunInfo): void } {
  const el = h('div', {});
  let run: RunInfo | undefined;
  const annotate = (change: Annotation) => run && ctx.post({ type: 'annotate', runId: run.id, ...change });
  const star = ui.button('☆ Star', () => annotate({ starred: !run?.starred }));
  star.el.classList.add('star-button');
  const tags = h('span', { class: 'tags' });
  const add = h('input', { class: 'tag-input', placeholder: 'add a tag', 'aria-label': 'add a tag', maxlength: 100 });
  add.addEventListener('keydown', (e) => {
    const tag = add.value.trim();
    if ((e as KeyboardEvent).key === 'Enter' && tag) {
      annotate({ addTags: [tag] });
      add.value = '';
    }
  });
  const note = h('textarea', { class: 'note', rows: 3, placeholder: 'A note: what this run showed, why it was made', 'aria-label': 'note' });
  const save = ui.button('Save Note', () => annotate({ note: note.value.trim() }), { title: 'keep this note with the run (meta.json)' });
  const editor = h('div', { class: 'annotations' }, h('div', { class: 'toolbar' }, star.el, tags, add), h('div', { class: 'note-row' }, note, save.el));
  /** The saved note the field last showed, and the unsaved edits of the runs left (by run id). */
  let shownNote = '';
  const drafts = new Map<string, string>();
  let tagsKey = '';

  function update(r: RunInfo): void {
    const previous = run;
    run = r;
    if (ctx.model.standalone) return fill(el, facts([['tags', r.tags.join(', ') || undefined], ['note', r.note], ['starred', r.starred ? 'yes' : undefined]]));
    if (el.firstChild !== editor) fill(el, editor);
    const saved = r.note ?? '';
    if (previous?.id !== r.id) {
      if (previous && note.value !== shownNote) drafts.set(previous.id, note.value);
      note.value = drafts.get(r.id) ?? saved;
      drafts.delete(r.id);
      add.value = '';
    } else if (saved !== shownNote && (note.value === shownNote || note.value.trim() === saved)) note.value = saved;
    shownNote = saved;
    star.set({ label: r.starred ? '★ Starred' : '☆ Star' });
    star.el.title = r.starred ? 'unstar this run' : 'star this run';
    const key = JSON.stringify([r.id, r.tags]);
    if (key !== tagsKey) {
      tagsKey = key;
      fill(tags, ...r.tags.map((t) => h('span', { class: 'tag', 'data-tag': t }, t,
        h('button', { class: 'tag-remove', title: `remove tag ${t}`, 'aria-label': `remove tag ${t}`, onclick: () => annotate({ removeTags: [t] }) }, '×'))));
    }
  }
  return { el, update };
}

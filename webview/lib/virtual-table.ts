/**
 * A table that stays fast with thousands of rows: a sticky header (labels with sort arrows, a filter
 * input per column) and a body that holds only the rows in view, redrawn on scroll.
 */
import { h } from './dom';
import { cellText, type Column } from './table-model';
import { bestValue } from '../../src/core/dashboard/metrics';
import { extraDigits } from '../../src/core/format';
import type { RunInfo } from '../../src/core/dashboard/protocol';

export const ROW_HEIGHT = 24;
const OVERSCAN = 8;
const CHECK_WIDTH = 28;

export interface TableEvents {
  onSort(key: string): void;
  onFilter(key: string, value: string): void;
  /** A click on a row (`range`: shift held; `toggle`: the checkbox or ctrl/cmd). */
  onRowClick(id: string, how: { range: boolean; toggle: boolean }): void;
  onRowOpen(id: string): void;
  /** The header checkbox: select every row shown, or none. */
  onSelectAll(on: boolean): void;
}

export interface TableData {
  columns: Column[];
  rows: RunInfo[];
  selected: Set<string>;
  sort: { key: string; desc: boolean };
  filters: Record<string, string>;
  focused?: string;
}

export class VirtualTable {
  readonly el: HTMLElement;
  private readonly head: HTMLElement;
  private readonly body: HTMLElement;
  private data: TableData = { columns: [], rows: [], selected: new Set(), sort: { key: '', desc: false }, filters: {} };
  private headKey = '';
  private pool: HTMLElement[] = [];
  private poolKey = '';
  private frame = 0;

  constructor(private readonly events: TableEvents) {
    this.head = h('div', { class: 'vt-head', role: 'rowgroup' });
    this.body = h('div', { class: 'vt-body', role: 'rowgroup' });
    this.el = h('div', { class: 'vt', role: 'table' }, this.head, this.body);
    this.el.addEventListener('scroll', () => {
      cancelAnimationFrame(this.frame);
      this.frame = requestAnimationFrame(() => this.drawRows());
    });
    this.body.addEventListener('click', (e) => {
      const row = (e.target as HTMLElement).closest<HTMLElement>('.vt-row');
      if (!row?.dataset.id) return;
      const onCheck = (e.target as HTMLElement).matches('input[type=checkbox]');
      this.events.onRowClick(row.dataset.id, { range: e.shiftKey, toggle: onCheck || e.ctrlKey || e.metaKey });
    });
    this.body.addEventListener('dblclick', (e) => {
      const row = (e.target as HTMLElement).closest<HTMLElement>('.vt-row');
      if (row?.dataset.id) this.events.onRowOpen(row.dataset.id);
    });
  }

  /** Left offsets of the pinned cells (the checkbox, then each pinned column), by position. */
  private pinLeft: (number | undefined)[] = [];
  /** Per column, the best value among the rows (a metric column with a direction and two values or more). */
  private best: (number | undefined)[] = [];
  /** Per column, the digits its cells need past the usual so that no other cell prints like the best one. */
  private extra: number[] = [];

  set(data: TableData): void {
    this.data = data;
    // Pinned columns come first; each sticks at the sum of the widths before it.
    let left = 0;
    this.pinLeft = [CHECK_WIDTH, ...data.columns.map((c) => c.width)].map((w, i) => {
      const pinned = i === 0 || data.columns[i - 1].pinned;
      const at = pinned ? left : undefined;
      left += w;
      return at;
    });
    const widths = [CHECK_WIDTH, ...data.columns.map((c) => c.width)];
    this.el.style.setProperty('--vt-cols', widths.map((w) => `${w}px`).join(' '));
    this.el.style.setProperty('--vt-width', `${widths.reduce((a, b) => a + b, 0)}px`);
    this.body.style.height = `${data.rows.length * ROW_HEIGHT}px`;
    this.best = data.columns.map((c) => {
      if (!c.better || c.ranks?.(data.rows) === false) return undefined;
      return bestValue(c.key.slice(c.key.indexOf(':') + 1), data.rows.map((r) => c.get(r) as number | undefined));
    });
    this.extra = data.columns.map((c, j) => extraDigits(this.best[j], data.rows.map((r) => c.get(r) as number | undefined), (v, e) => cellText(c, v, e)));
    this.drawHead();
    this.drawRows();
  }

  /** Scrolls so that row `index` is in view. */
  scrollTo(index: number): void {
    this.el.scrollTop = Math.max(0, index * ROW_HEIGHT - this.el.clientHeight / 2);
  }

  private drawHead(): void {
    const { columns, sort, filters, rows, selected } = this.data;
    const allSelected = rows.length > 0 && rows.every((r) => selected.has(r.id));
    // Rebuild only when the columns change, so a filter input keeps its focus while the user types.
    const key = columns.map((c) => c.key).join('\n');
    if (key !== this.headKey) {
      this.headKey = key;
      const all = h('input', { type: 'checkbox', title: 'select every run shown', 'aria-label': 'select all' });
      all.addEventListener('change', () => this.events.onSelectAll(all.checked));
      const labels = columns.map((c) => h('div', {
        class: `vt-cell vt-label ${c.numeric ? 'num' : ''} g-${c.group}`, role: 'columnheader', title: `${c.title ?? c.label}: click to sort`, 'data-key': c.key,
        onclick: () => this.events.onSort(c.key),
      }, h('span', {}, c.label), h('span', { class: 'arrow' })));
      const inputs = columns.map((c) => {
        const input = h('input', {
          class: 'vt-filter', placeholder: c.filter?.placeholder ?? (c.numeric ? '>0.9' : 'filter'), title: c.filter?.title, 'aria-label': `filter ${c.label}`, 'data-key': c.key,
        });
        input.addEventListener('input', () => this.events.onFilter(c.key, input.value));
        return h('div', { class: 'vt-cell' }, input);
      });
      const labelRow = h('div', { class: 'vt-row vt-labels', role: 'row' }, h('div', { class: 'vt-cell vt-check' }, all), ...labels);
      const filterRow = h('div', { class: 'vt-row vt-filters', role: 'row' }, h('div', { class: 'vt-cell' }), ...inputs);
      this.pin(labelRow);
      this.pin(filterRow);
      this.head.replaceChildren(labelRow, filterRow);
    }
    this.head.querySelector<HTMLInputElement>('.vt-check input')!.checked = allSelected;
    for (const el of Array.from(this.head.querySelectorAll<HTMLElement>('.vt-label'))) {
      const on = el.dataset.key === sort.key;
      el.classList.toggle('sorted', on);
      el.querySelector('.arrow')!.textContent = on ? (sort.desc ? ' ▼' : ' ▲') : '';
      el.setAttribute('aria-sort', on ? (sort.desc ? 'descending' : 'ascending') : 'none');
    }
    for (const input of Array.from(this.head.querySelectorAll<HTMLInputElement>('.vt-filter'))) {
      const v = filters[input.dataset.key!] ?? '';
      if (input.value !== v && document.activeElement !== input) input.value = v;
    }
  }

  /** Makes a row's pinned cells stick at their offsets (CSSOM: the CSP allows no style attributes). */
  private pin(row: HTMLElement): void {
    this.pinLeft.forEach((left, i) => {
      if (left === undefined) return;
      const cell = row.children[i] as HTMLElement;
      cell.classList.add('pin');
      cell.style.left = `${left}px`;
    });
  }

  /** Rows in view (plus a margin), drawn into a pool of row elements reused across scrolls and updates. */
  private drawRows(): void {
    const { columns, rows, selected, focused } = this.data;
    const top = this.el.scrollTop;
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(rows.length, Math.ceil((top + (this.el.clientHeight || 800)) / ROW_HEIGHT) + OVERSCAN);
    if (this.poolKey !== this.headKey) {
      this.poolKey = this.headKey;
      this.pool = [];
      this.body.replaceChildren();
    }
    while (this.pool.length < last - first) {
      const row = h('div', { class: 'vt-row', role: 'row' }, h('div', { class: 'vt-cell vt-check' }, h('input', { type: 'checkbox' })),
        ...columns.map((c) => h('div', { class: `vt-cell${c.numeric ? ' num' : ''}` })));
      this.pin(row);
      this.body.append(row);
      this.pool.push(row);
    }
    for (const extra of this.pool.splice(Math.max(0, last - first))) extra.remove();
    this.pool.forEach((row, k) => {
      const r = rows[first + k];
      const on = selected.has(r.id);
      row.className = `vt-row${on ? ' selected' : ''}${r.id === focused ? ' focused' : ''}`;
      row.dataset.id = r.id;
      // CSSOM, not a style attribute: the CSP allows no inline styles.
      row.style.top = `${(first + k) * ROW_HEIGHT}px`;
      const check = row.firstElementChild!.firstElementChild as HTMLInputElement;
      check.checked = on;
      check.setAttribute('aria-label', `select ${r.name}`);
      columns.forEach((c, j) => {
        const cell = row.children[j + 1] as HTMLElement;
        const text = cellText(c, c.get(r), this.extra[j]);
        if (cell.textContent !== text) {
          cell.textContent = text;
          cell.title = text;
        }
        const best = this.best[j] !== undefined && c.get(r) === this.best[j];
        if (cell.classList.contains('best') !== best) {
          cell.classList.toggle('best', best);
          cell.title = best ? `${text}: the best of the runs shown (${c.better === 'max' ? 'higher' : 'lower'} is better)` : text;
        }
        if (c.key === 'status') cell.className = `vt-cell status s-${text}`;
        if (c.key === 'name') cell.classList.toggle('starred', r.starred);
      });
    });
  }
}

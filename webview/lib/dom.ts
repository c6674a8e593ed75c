/** Tiny DOM helpers: the views build plain elements, no framework. */
import { durationParts, numMore } from '../../src/core/format';

type Attrs = Record<string, string | number | boolean | undefined | ((e: Event) => void)>;

/** `h('td', { class: 'num', title: 'x' }, 'text', child)`; `on*` attributes become listeners. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Node | string | undefined)[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== undefined) el.append(c);
  return el;
}

/** A definition list of label/value pairs; pairs without a value are left out. */
export type Fact = [string, string | Node | undefined];
export const facts = (pairs: Fact[]): HTMLElement =>
  h('dl', { class: 'facts' }, ...pairs.filter(([, v]) => v).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v!)]));

/** Replaces all children of `el`. */
export function fill(el: Element, ...children: (Node | string | undefined)[]): void {
  el.replaceChildren(...children.filter((c): c is Node | string => c !== undefined));
}

/** A value as a table cell shows it: 4 significant digits for numbers, JSON for the rest. */
export function show(v: unknown, extra = 0): string {
  if (v === undefined) return '';
  if (typeof v === 'number') return numMore(v, extra);
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** A spec value as written: numbers in full (`0.001`, not `0.001000`), the rest as `show`. */
export const showValue = (v: unknown): string => (typeof v === 'number' ? String(v) : show(v));

/** `1234` ms -> `1.2s`, `95000` -> `1m35s`. */
export function duration(ms: number | undefined): string {
  if (ms === undefined) return '';
  const p = durationParts(ms);
  if ('seconds' in p) return `${p.seconds}s`;
  return 'sec' in p ? `${p.min}m${String(p.sec).padStart(2, '0')}s` : `${p.h}h${String(p.min).padStart(2, '0')}m`;
}

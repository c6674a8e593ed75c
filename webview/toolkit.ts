/**
 * The only module that touches @vscode/webview-ui-toolkit (deprecated in January 2025): every control
 * the dashboard uses is made here, so moving to @vscode-elements/elements means rewriting this file alone.
 * Each factory returns the element and a setter that updates it without firing its own handler.
 */
import {
  provideVSCodeDesignSystem, vsCodeBadge, vsCodeButton, vsCodeCheckbox, vsCodeDropdown, vsCodeOption, vsCodeTextField,
} from '@vscode/webview-ui-toolkit';

provideVSCodeDesignSystem().register(vsCodeBadge(), vsCodeButton(), vsCodeCheckbox(), vsCodeDropdown(), vsCodeOption(), vsCodeTextField());

export interface Control<T> {
  el: HTMLElement;
  set(value: T): void;
}

type Valued = HTMLElement & { value: string };

export function button(label: string, onClick: () => void, opts: { primary?: boolean; title?: string } = {}): Control<{ label?: string; disabled?: boolean; primary?: boolean }> {
  const el = document.createElement('vscode-button') as HTMLElement & { disabled: boolean };
  el.textContent = label;
  el.setAttribute('appearance', opts.primary ? 'primary' : 'secondary');
  if (opts.title) el.title = opts.title;
  el.addEventListener('click', () => !el.disabled && onClick());
  return {
    el,
    set: ({ label: text, disabled, primary }) => {
      if (text !== undefined && el.textContent !== text) el.textContent = text;
      if (disabled !== undefined && el.disabled !== disabled) el.disabled = disabled;
      if (primary !== undefined) el.setAttribute('appearance', primary ? 'primary' : 'secondary');
    },
  };
}

export function textField(placeholder: string, onInput: (value: string) => void): Control<string> {
  const el = document.createElement('vscode-text-field') as Valued;
  el.setAttribute('placeholder', placeholder);
  el.addEventListener('input', () => onInput(el.value));
  return { el, set: (v) => void (el.value !== v && (el.value = v)) };
}

export function checkbox(label: string, onChange: (checked: boolean) => void): Control<boolean> {
  const el = document.createElement('vscode-checkbox') as HTMLElement & { checked: boolean };
  el.textContent = label;
  let quiet = false;
  el.addEventListener('change', () => !quiet && onChange(el.checked));
  return {
    el,
    set: (v) => {
      if (el.checked === v) return;
      quiet = true;
      el.checked = v;
      quiet = false;
    },
  };
}

/** A dropdown; `relabel` renames one option (and the shown value, when it is the selected one). */
export function dropdown(options: { value: string; label: string }[], onChange: (value: string) => void): Control<string> & { relabel(value: string, label: string): void } {
  const el = document.createElement('vscode-dropdown') as Valued & { updateDisplayValue?(): void };
  for (const o of options) {
    const opt = document.createElement('vscode-option') as Valued;
    opt.setAttribute('value', o.value);
    opt.textContent = o.label;
    el.append(opt);
  }
  let quiet = false;
  el.addEventListener('change', () => !quiet && onChange(el.value));
  return {
    el,
    set: (v) => {
      if (el.value === v) return;
      quiet = true;
      el.value = v;
      quiet = false;
    },
    relabel: (value, label) => {
      const opt = Array.from(el.children).find((o) => o.getAttribute('value') === value);
      if (!opt || opt.textContent === label) return;
      opt.textContent = label;
      el.updateDisplayValue?.();
    },
  };
}

export function badge(text: string): Control<string> {
  const el = document.createElement('vscode-badge');
  el.textContent = text;
  return { el, set: (v) => void (el.textContent !== v && (el.textContent = v)) };
}

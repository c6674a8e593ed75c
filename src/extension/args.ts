/** Pure helpers for command arguments: no vscode import, unit-tested in plain Node. */

/**
 * Splits the "Run With Overrides" input into `path=value` assignments: whitespace separates them,
 * except inside quotes or brackets, so `model.layers=[64, 32] name="a b"` is two assignments.
 */
export function splitOverrides(input: string): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  let quote: string | undefined;
  for (const ch of input.trim()) {
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '[' || ch === '{') depth++;
    else if (ch === ']' || ch === '}') depth--;
    else if (/\s/.test(ch) && depth === 0) {
      if (cur) out.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  if (cur) out.push(cur);
  return out.map((a) => a.replace(/^([^=]*)=(['"])(.*)\2$/, '$1=$3'));
}

/** Problems with an overrides input, for the input box's live validation; undefined when fine. */
export function overridesProblem(input: string): string | undefined {
  const bad = splitOverrides(input).find((a) => !/^[A-Za-z_$][\w$]*(\[\d+\])*(\.[A-Za-z_$][\w$]*(\[\d+\])*)*=/.test(a));
  return bad === undefined ? undefined : `'${bad}' is not path=value (for example train.lr=0.01)`;
}

/**
 * The run ids a tree command acts on: VS Code passes the clicked node and, with multi-select, all
 * selected nodes; a command from the palette passes nothing.
 */
export function selectedRunIds(clicked?: { runId?: string }, selected?: readonly ({ runId?: string } | undefined)[]): string[] {
  const nodes = selected?.some(Boolean) ? selected : [clicked];
  return [...new Set(nodes.flatMap((n) => (n?.runId ? [n.runId] : [])))];
}

/** A file name for a new spec: lower-case words joined by dashes, ending in .hone.json. */
export function specFileName(name: string): string {
  const base = name.trim().toLowerCase().replace(/\.hone\.json$/, '').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return `${base || 'experiment'}.hone.json`;
}

/**
 * How many problems a capped list stands for: its entries, except the `omitted` one that closes a long
 * list (core/spec/bound.ts), which counts instead the problems it left out (its `found`: `12 more`).
 */
export function problemCount(problems: readonly { kind?: string; found: string }[]): number {
  return problems.reduce((n, p) => n + (p.kind === 'omitted' ? parseInt(p.found, 10) || 0 : 1), 0);
}

/**
 * A command line as the program and its arguments, split as a POSIX shell splits words (no shell runs
 * it: no variables, globs or pipes): whitespace separates; 'single quotes' keep everything; "double
 * quotes" keep everything but \" and \\; a backslash outside quotes keeps the next character. An
 * unclosed quote is an error (a string).
 */
export function splitCommandLine(line: string): string[] | string {
  const out: string[] = [];
  let cur: string | undefined;
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else cur += ch;
    } else if (quote === '"') {
      if (ch === '"') quote = undefined;
      else if (ch === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) cur += line[++i];
      else cur += ch;
    } else if (/\s/.test(ch)) {
      if (cur !== undefined) out.push(cur);
      cur = undefined;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      cur ??= '';
    } else if (ch === '\\' && i + 1 < line.length) cur = (cur ?? '') + line[++i];
    else cur = (cur ?? '') + ch;
  }
  if (quote) return `a closing ${quote} quote`;
  if (cur !== undefined) out.push(cur);
  return out;
}

/** Pure helpers for command arguments: no vscode import, unit-tested in plain Node. */

/** The closing bracket of each opening one. */
const CLOSES: Record<string, string> = { '[': ']', '{': '}' };

/**
 * Splits the "Run With Overrides" input into `path=value` assignments: whitespace separates them,
 * except inside quotes or brackets, so `model.layers=[64, 32] name="a b"` is two assignments. An
 * unclosed quote or an unbalanced bracket is an error (a string: what was expected, and where), as in
 * `splitCommandLine`: split anyway, `name=Bob's train.lr=0.1` would be one assignment.
 */
export function splitOverrides(input: string): string[] | string {
  const out: string[] = [];
  let cur = '';
  const open: { ch: string; column: number }[] = [];
  let quote: { ch: string; column: number } | undefined;
  const chars = [...input];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    const column = i + 1;
    if (quote) {
      if (ch === quote.ch) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = { ch, column };
    else if (CLOSES[ch]) open.push({ ch, column });
    else if (ch === ']' || ch === '}') {
      const last = open.pop();
      if (!last) return `an opening ${ch === ']' ? '[' : '{'} before the ${ch} at column ${column}`;
      if (CLOSES[last.ch] !== ch) return `${CLOSES[last.ch]} to close the ${last.ch} at column ${last.column}, found ${ch} at column ${column}`;
    } else if (/\s/.test(ch) && !open.length) {
      if (cur) out.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  if (quote) return `a closing ${quote.ch} quote for the one at column ${quote.column}`;
  const last = open.pop();
  if (last) return `a closing ${CLOSES[last.ch]} for the ${last.ch} at column ${last.column}`;
  if (cur) out.push(cur);
  return out.map((a) => a.replace(/^([^=]*)=(['"])(.*)\2$/, '$1=$3'));
}

/** Problems with an overrides input, for the input box's live validation; undefined when fine. */
export function overridesProblem(input: string): string | undefined {
  const split = splitOverrides(input);
  if (typeof split === 'string') return `expected ${split}`;
  const bad = split.find((a) => !/^[A-Za-z_$][\w$]*(\[\d+\])*(\.[A-Za-z_$][\w$]*(\[\d+\])*)*=/.test(a));
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

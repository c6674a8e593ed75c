/**
 * The CLI's terminal hygiene. Run names, messages, metric names and logs come from users and files; raw
 * escape sequences in them could retitle the terminal, move the cursor or hide text (ANSI/OSC, C1 codes,
 * bidirectional overrides). Everything written to stdout and stderr passes through `escapeControls`, which
 * spells such characters as `\uXXXX`: readable in a table, and the very same string inside JSON output.
 * Hone's own progress line is drawn with `drawControls`, the one writer that may move the cursor.
 */
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export const escapeControls = (text: string): string =>
  text.replace(CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/**
 * A user's text as one line: newline, carriage return and tab spelled `\n`, `\r`, `\t` (as JSON does), the
 * other controls as `escapeControls` spells them (so a table measures the width it will show). For table
 * cells and one-line fields, where a run name holding a newline could otherwise fake rows or lines; text
 * meant to span lines (a note, a log) does not go through here.
 */
export const oneLine = (text: string): string => escapeControls(text.replace(/[\n\r\t]/g, (c) => JSON.stringify(c).slice(1, -1)));

/** East Asian wide and fullwidth characters, and emoji: two terminal columns each. */
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1f64f}\u{1f900}-\u{1f9ff}\u{20000}-\u{3fffd}]/u;
/** Combining marks: no column of their own. */
const COMBINING = /\p{M}/u;

/**
 * `text` cut to at most `cols` terminal columns, by whole characters (a surrogate pair is never split;
 * wide characters count two columns, combining marks none): a status line that fits does not wrap, and a
 * redraw's erase-line then clears all of it.
 */
export function fitColumns(text: string, cols: number): string {
  let used = 0;
  let out = '';
  for (const ch of text) {
    const w = COMBINING.test(ch) ? 0 : WIDE.test(ch) ? 2 : 1;
    if (used + w > cols) break;
    used += w;
    out += ch;
  }
  return out;
}

type Write = typeof process.stdout.write;
const raw = new Map<NodeJS.WriteStream, Write>();

/** Writes Hone's own cursor controls (`\r`, erase line) unescaped. */
export function drawControls(out: NodeJS.WriteStream, controls: string): void {
  (raw.get(out) ?? out.write).call(out, controls);
}

/**
 * Escapes control characters in everything written to stdout/stderr, and ends quietly when the reader
 * of stdout goes away (`hone ls | head`) instead of printing an EPIPE stack.
 */
export function installTerminalGuard(): void {
  for (const out of [process.stdout, process.stderr]) {
    const write = out.write.bind(out) as Write;
    raw.set(out, write);
    out.write = ((chunk: unknown, ...rest: unknown[]) =>
      (write as (c: unknown, ...r: unknown[]) => boolean)(typeof chunk === 'string' ? escapeControls(chunk) : chunk, ...rest)) as Write;
  }
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

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

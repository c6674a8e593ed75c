// Shared by the benchmarks: each one owns a section of bench/RESULTS.md.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { shellWord } from '../src/core/store/store-option';

/** A block of a section written by hand (notes, extra runs): a bench's rewrite of the section keeps it. */
const HAND_OPEN = '<!-- hand -->';
const HAND_CLOSE = '<!-- /hand -->';
const HAND_BLOCK = /<!-- hand -->[\s\S]*?<!-- \/hand -->/g;

/** The hand-written blocks of a section's text, in order; a marker left unpaired is an error, not a loss. */
function handBlocks(section: string, title: string): string[] {
  const blocks = section.match(HAND_BLOCK) ?? [];
  const [opens, closes] = [HAND_OPEN, HAND_CLOSE].map((m) => section.split(m).length - 1);
  if (opens !== blocks.length || closes !== blocks.length) {
    throw new Error(`section "${title}": ${opens} ${HAND_OPEN} and ${closes} ${HAND_CLOSE} markers do not pair up; fix them first, so that no hand-written text is lost`);
  }
  return blocks;
}

/** Where the section `## <title>` of `text` starts and ends (the next `## ` heading), or undefined. */
function locate(text: string, title: string): { start: number; end: number } | undefined {
  const heading = `## ${title}\n`;
  // The heading as a whole line: `### Engine` or `## Engine: LeNet-5 ...` is not `## Engine`.
  const found = text.startsWith(heading) ? 0 : text.indexOf(`\n${heading}`);
  if (found < 0) return undefined;
  const start = text.startsWith(heading) ? 0 : found + 1;
  const next = text.indexOf('\n## ', start + heading.length);
  return { start, end: next < 0 ? text.length : next };
}

const readText = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmark results\n');

/**
 * Replaces the section of a markdown file that starts with the line `## <title>` (up to the next `## `
 * heading) with `body`, or appends it; every other section stays as it was. The old section's hand-written
 * blocks (between `<!-- hand -->` and `<!-- /hand -->`) follow the new body, in their order.
 */
export function writeSection(file: string, title: string, body: string): void {
  const text = readText(file);
  const heading = `## ${title}\n`;
  const at = locate(text, title);
  if (!at) return writeFileSync(file, `${text.trimEnd()}\n\n${heading}\n${body.trim()}\n`);
  const section = `${heading}\n${[body.trim(), ...handBlocks(text.slice(at.start, at.end), title)].join('\n\n')}\n`;
  writeFileSync(file, text.slice(0, at.start) + section + text.slice(at.end));
}

/** The section `## <title>` of a markdown file as it stands, heading included; undefined when it has none. */
export function readSection(file: string, title: string): string | undefined {
  const text = readText(file);
  const at = locate(text, title);
  return at && text.slice(at.start, at.end);
}

/**
 * Puts back a section read by readSection (undefined: there was none, so the section goes), leaving
 * every other section as it now stands: what a bench that rewrites its section as it goes (Federated)
 * does when a run fails, so that a failed bench leaves the section it found.
 */
export function restoreSection(file: string, title: string, section: string | undefined): void {
  const text = readText(file);
  const at = locate(text, title);
  if (!at) return section === undefined ? undefined : writeFileSync(file, `${text.trimEnd()}\n\n${section.trim()}\n`);
  const rest = text.slice(at.end);
  const head = text.slice(0, at.start);
  writeFileSync(file, section === undefined ? `${head.trimEnd()}\n${rest}` : head + section + rest);
}

/**
 * The command that wrote a section: the given knobs that are set in `env`, then `bash <script>`, so that a
 * section names exactly how it was made (a knob left unset ran at the script's default).
 */
export function commandLine(script: string, knobs: readonly string[], env: NodeJS.ProcessEnv = process.env): string {
  return [...knobs.filter((k) => env[k]).map((k) => `${k}=${shellWord(env[k]!)}`), `bash ${script}`].join(' ');
}

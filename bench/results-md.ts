// Shared by the benchmarks: each one owns a section of bench/RESULTS.md.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

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

/**
 * Replaces the section of a markdown file that starts with the line `## <title>` (up to the next `## `
 * heading) with `body`, or appends it; every other section stays as it was. The old section's hand-written
 * blocks (between `<!-- hand -->` and `<!-- /hand -->`) follow the new body, in their order.
 */
export function writeSection(file: string, title: string, body: string): void {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmark results\n';
  const heading = `## ${title}\n`;
  // The heading as a whole line: `### Engine` or `## Engine: LeNet-5 ...` is not `## Engine`.
  const found = text.startsWith(heading) ? 0 : text.indexOf(`\n${heading}`);
  if (found < 0) return writeFileSync(file, `${text.trimEnd()}\n\n${heading}\n${body.trim()}\n`);
  const start = text.startsWith(heading) ? 0 : found + 1;
  const next = text.indexOf('\n## ', start + heading.length);
  const old = text.slice(start, next < 0 ? undefined : next);
  const section = `${heading}\n${[body.trim(), ...handBlocks(old, title)].join('\n\n')}\n`;
  writeFileSync(file, text.slice(0, start) + section + (next < 0 ? '' : text.slice(next)));
}

/**
 * The command that wrote a section: the given knobs that are set in `env`, then `bash <script>`, so that a
 * section names exactly how it was made (a knob left unset ran at the script's default).
 */
export function commandLine(script: string, knobs: readonly string[], env: NodeJS.ProcessEnv = process.env): string {
  const quote = (v: string) => (/^[\w.,:/+=@-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`);
  return [...knobs.filter((k) => env[k]).map((k) => `${k}=${quote(env[k]!)}`), `bash ${script}`].join(' ');
}

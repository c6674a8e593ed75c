// Shared by the benchmarks: each one owns a section of bench/RESULTS.md.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * Replaces the section of a markdown file that starts with `## <title>` (up to the next `## ` heading)
 * with `body`, or appends it; every other section stays as it was.
 */
export function writeSection(file: string, title: string, body: string): void {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmark results\n';
  const heading = `## ${title}\n`;
  const section = `${heading}\n${body.trim()}\n`;
  const start = text.indexOf(heading);
  if (start < 0) return writeFileSync(file, `${text.trimEnd()}\n\n${section}`);
  const next = text.indexOf('\n## ', start + heading.length);
  writeFileSync(file, text.slice(0, start) + section + (next < 0 ? '' : text.slice(next)));
}

import { readFrom } from '../store/metrics';
import { LineSplitter, MAX_LINE_BYTES, parseProtocolLine, type ProtocolLine } from './protocol';

/** Warnings about malformed lines passed on; later ones are only counted. */
const MAX_WARNINGS = 20;

/**
 * Reads the protocol file as the command appends to it: each read returns the complete lines added since
 * the last one that parse. Malformed lines are counted in `skipped`, the first few passed to `warn`.
 */
export class ProtocolTail {
  private offset = 0;
  private readonly splitter = new LineSplitter();
  skipped = 0;

  constructor(private readonly file: string, private readonly warn: (text: string) => void) {}

  /** `final` (the command has ended): a last line without its newline is read too. */
  read(final = false): ProtocolLine[] {
    const buf = readFrom(this.file, this.offset);
    this.offset += buf.length;
    const overlongBefore = this.splitter.overlong;
    const lines: ProtocolLine[] = [];
    for (const text of this.splitter.push(buf, final)) {
      const line = parseProtocolLine(text);
      if (!('problem' in line)) lines.push(line);
      else if (++this.skipped <= MAX_WARNINGS) this.warn(`protocol: skipped a line (${line.problem}): ${text.slice(0, 200)}`);
    }
    const overlong = this.splitter.overlong - overlongBefore;
    if (overlong) this.warn(`protocol: skipped ${overlong} line(s) longer than ${MAX_LINE_BYTES} bytes`);
    this.skipped += overlong;
    return lines;
  }
}

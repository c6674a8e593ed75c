import { readFrom } from '../store/metrics';
import { LineSplitter, MAX_LINE_BYTES, parseProtocolLine, type ProtocolLine } from './protocol';

/** Warnings about malformed lines passed on; later ones are only counted. */
const MAX_WARNINGS = 20;
/** How many of the last bytes read are checked again at each read: appending leaves them as they were. */
const ANCHOR_BYTES = 64;

/**
 * Reads the protocol file as the command appends to it: each read returns the complete lines added since
 * the last one that parse. Malformed lines are counted in `skipped`, the first few passed to `warn`. A
 * file rewritten rather than appended to is counted in `rewrites` and read again from its start.
 */
export class ProtocolTail {
  private offset = 0;
  private splitter = new LineSplitter();
  /** The last bytes read (up to ANCHOR_BYTES), which must still be there, at their place, at the next read. */
  private anchor = Buffer.alloc(0);
  skipped = 0;
  /** Times the file was found truncated or overwritten (opened in mode 'w', deleted and made anew). */
  rewrites = 0;

  constructor(private readonly file: string, private readonly warn: (text: string) => void) {}

  /** `final` (the command has ended): a last line without its newline is read too. */
  read(final = false): ProtocolLine[] {
    const buf = this.newBytes();
    this.offset += buf.length;
    this.anchor = Buffer.from(buf.length >= ANCHOR_BYTES ? buf.subarray(buf.length - ANCHOR_BYTES) : Buffer.concat([this.anchor, buf]).subarray(-ANCHOR_BYTES));
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

  /**
   * The bytes added since the last read. Where the last bytes read are gone (the file shrank) or changed,
   * the file was rewritten, not appended to: reading on from the old offset would miss the lines written
   * since (silently, while the file is shorter than that) or start in the middle of one. It is read again
   * from its start instead: a command that rewrites it with one line at a time loses only the lines
   * overwritten between two reads. A rewrite that keeps what was read (the whole history written again,
   * longer) keeps the anchor in place and is read on from where it was.
   */
  private newBytes(): Buffer {
    const buf = readFrom(this.file, this.offset - this.anchor.length);
    if (buf.subarray(0, this.anchor.length).equals(this.anchor)) return buf.subarray(this.anchor.length);
    if (++this.rewrites === 1) {
      this.warn('protocol: the file was rewritten, not appended to (open it in append mode, "a"): reading it again from its start; lines overwritten before Hone read them are lost');
    }
    this.offset = 0;
    this.anchor = Buffer.alloc(0);
    this.splitter = new LineSplitter();
    return readFrom(this.file, 0);
  }
}

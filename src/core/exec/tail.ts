import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { errCode } from '../store/fs-util';
import { LineSplitter, MAX_LINE_BYTES, parseProtocolLine, type ProtocolLine } from './protocol';

/** Warnings about malformed lines passed on; later ones are only counted. */
const MAX_WARNINGS = 20;
/** How many of the last bytes read are checked again at each read: appending leaves them as they were. */
const ANCHOR_BYTES = 64;
/**
 * The file is read in pieces of this size, each split into lines before the next is read: with the
 * splitter holding at most one unfinished line (up to MAX_LINE_BYTES), memory stays bounded however much
 * a command writes between two reads, or without a newline.
 */
export const READ_CHUNK_BYTES = 64 * 1024;

/**
 * Reads the protocol file as the command appends to it: each read returns the complete lines added since
 * the last one that parse. Malformed lines (overlong ones included) are counted in `skipped`, the first
 * few passed to `warn`. A file rewritten rather than appended to is counted in `rewrites` and read again
 * from its start.
 */
export class ProtocolTail {
  private offset = 0;
  private splitter = new LineSplitter();
  /** The last bytes read (up to ANCHOR_BYTES), which must still be there, at their place, at the next read. */
  private anchor = Buffer.alloc(0);
  /** Reused by every read: the splitter and the anchor copy what they keep of it. */
  private readonly chunk = Buffer.allocUnsafe(READ_CHUNK_BYTES);
  skipped = 0;
  /** Times the file was found truncated or overwritten (opened in mode 'w', deleted and made anew). */
  rewrites = 0;

  constructor(private readonly file: string, private readonly warn: (text: string) => void) {}

  /** `final` (the command has ended): a last line without its newline is read too. */
  read(final = false): ProtocolLine[] {
    const lines: ProtocolLine[] = [];
    const fd = this.open();
    try {
      if (fd !== undefined) {
        const size = fstatSync(fd).size;
        if (!this.anchorInPlace(fd, size)) this.restart();
        while (this.offset < size) {
          const n = readSync(fd, this.chunk, 0, Math.min(this.chunk.length, size - this.offset), this.offset);
          if (n === 0) break;
          this.offset += n;
          const read = this.chunk.subarray(0, n);
          this.keepAnchor(read);
          this.parse(read, false, lines);
        }
      }
      if (final) this.parse(Buffer.alloc(0), true, lines);
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
    return lines;
  }

  private open(): number | undefined {
    try {
      return openSync(this.file, 'r');
    } catch (e) {
      if (errCode(e) === 'ENOENT') return undefined;
      throw e;
    }
  }

  /** Splits `bytes` into lines (the splitter copies what it carries over) and parses them into `into`. */
  private parse(bytes: Buffer, final: boolean, into: ProtocolLine[]): void {
    const overlongBefore = this.splitter.overlong;
    for (const text of this.splitter.push(bytes, final)) {
      const line = parseProtocolLine(text);
      if (!('problem' in line)) into.push(line);
      else if (++this.skipped <= MAX_WARNINGS) this.warn(`protocol: skipped a line (${line.problem}): ${text.slice(0, 200)}`);
    }
    const overlong = this.splitter.overlong - overlongBefore;
    if (overlong && this.skipped < MAX_WARNINGS) this.warn(`protocol: skipped ${overlong} line(s) longer than ${MAX_LINE_BYTES} bytes`);
    this.skipped += overlong;
  }

  private keepAnchor(read: Buffer): void {
    this.anchor = Buffer.from(read.length >= ANCHOR_BYTES ? read.subarray(read.length - ANCHOR_BYTES) : Buffer.concat([this.anchor, read]).subarray(-ANCHOR_BYTES));
  }

  /**
   * Whether the last bytes read are still there, at their place. Where they are gone (the file shrank) or
   * changed, the file was rewritten, not appended to: reading on from the old offset would miss the lines
   * written since (silently, while the file is shorter than that) or start in the middle of one. A rewrite
   * that keeps what was read (the whole history written again, longer) keeps the anchor in place and is
   * read on from where it was.
   */
  private anchorInPlace(fd: number, size: number): boolean {
    if (size < this.offset) return false;
    const at = Buffer.alloc(this.anchor.length);
    const n = at.length ? readSync(fd, at, 0, at.length, this.offset - at.length) : 0;
    return n === at.length && at.equals(this.anchor);
  }

  /**
   * Reads a rewritten file again from its start: a command that rewrites it with one line at a time loses
   * only the lines overwritten between two reads.
   */
  private restart(): void {
    if (++this.rewrites === 1) {
      this.warn('protocol: the file was rewritten, not appended to (open it in append mode, "a"): reading it again from its start; lines overwritten before Hone read them are lost');
    }
    this.offset = 0;
    this.anchor = Buffer.alloc(0);
    this.splitter = new LineSplitter();
  }
}

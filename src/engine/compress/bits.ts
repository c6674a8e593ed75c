/** Bit streams for the entropy coder: bits written and read most significant first. */
export class BitWriter {
  private buf = new Uint8Array(256);
  private bytes = 0;
  private acc = 0;
  private nacc = 0;

  /** Appends the low `n` bits of `value` (n <= 24), most significant first. */
  write(value: number, n: number): void {
    this.acc = (this.acc << n) | (value & ((1 << n) - 1));
    this.nacc += n;
    while (this.nacc >= 8) {
      this.nacc -= 8;
      this.push((this.acc >>> this.nacc) & 0xff);
    }
    this.acc &= (1 << this.nacc) - 1;
  }

  /** The bytes written, the last one padded with zero bits. */
  finish(): Uint8Array {
    if (this.nacc > 0) this.push((this.acc << (8 - this.nacc)) & 0xff);
    this.acc = this.nacc = 0;
    return this.buf.slice(0, this.bytes);
  }

  private push(b: number): void {
    if (this.bytes === this.buf.length) {
      const next = new Uint8Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.bytes++] = b;
  }
}

export class BitReader {
  private pos = 0;

  constructor(private readonly buf: Uint8Array) {}

  bit(): number {
    const byte = this.pos >>> 3;
    if (byte >= this.buf.length) throw new Error('packed data ends early: a bit stream was cut short');
    const b = (this.buf[byte] >>> (7 - (this.pos & 7))) & 1;
    this.pos++;
    return b;
  }

  /** The next `n` bits as an unsigned number (n <= 24). */
  read(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) v = (v << 1) | this.bit();
    return v;
  }
}

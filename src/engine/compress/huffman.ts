/**
 * Canonical Huffman coding (Huffman 1952), the entropy coder of Deep Compression's last stage (Han et
 * al. 2016, arXiv:1510.00149, Sec. 4). A stream is stored as its table (the alphabet size in 16 bits,
 * then each symbol's code length in 4 bits, 0 for an unused symbol) and the codes of its symbols. Code
 * lengths are limited to 15 bits by halving the counts until they fit; one used symbol gets a 1-bit code.
 */
import { BitReader, BitWriter } from './bits';

export const MAX_CODE_LENGTH = 15;

/** Code lengths from symbol counts (0 for symbols that do not occur), none longer than `maxLength`. */
export function codeLengths(counts: ArrayLike<number>, maxLength = MAX_CODE_LENGTH): Uint8Array {
  const used = Array.from(counts, (c, s) => [c, s]).filter(([c]) => c > 0);
  const lengths = new Uint8Array(counts.length);
  if (used.length === 1) lengths[used[0][1]] = 1;
  if (used.length <= 1) return lengths;
  // Halving the counts ends at equal weights, a balanced tree: only up to 2^maxLength symbols fit one.
  if (used.length > 2 ** maxLength) throw new Error(`huffman: ${used.length} symbols in use cannot all have codes of at most ${maxLength} bits`);
  let weights = used.map(([c]) => c);
  for (;;) {
    const depth = huffmanDepths(weights);
    if (Math.max(...depth) <= maxLength) {
      used.forEach(([, s], i) => (lengths[s] = depth[i]));
      return lengths;
    }
    weights = weights.map((w) => Math.max(1, w >>> 1));
  }
}

/** Depth of each leaf in a Huffman tree of `weights` (two smallest merged first; ties by creation order). */
function huffmanDepths(weights: number[]): number[] {
  // Nodes: leaves 0..n-1, then internal nodes; a sorted queue of leaves and a FIFO of merged nodes suffice.
  const n = weights.length;
  const parent = new Int32Array(2 * n - 1);
  const weight = new Float64Array(2 * n - 1);
  weights.forEach((w, i) => (weight[i] = w));
  const leaves = Array.from({ length: n }, (_, i) => i).sort((a, b) => weight[a] - weight[b] || a - b);
  let li = 0;
  let qi = n;
  let next = n;
  const take = (): number => (li < n && (qi >= next || weight[leaves[li]] <= weight[qi]) ? leaves[li++] : qi++);
  while (next < 2 * n - 1) {
    const a = take();
    const b = take();
    weight[next] = weight[a] + weight[b];
    parent[a] = parent[b] = next;
    next++;
  }
  const depth = new Int32Array(2 * n - 1);
  for (let i = 2 * n - 3; i >= 0; i--) depth[i] = depth[parent[i]] + 1;
  return Array.from(depth.subarray(0, n));
}

/** Canonical codes: by length, then symbol, each the previous plus one (shifted left when lengths grow). */
export function canonicalCodes(lengths: Uint8Array): Uint32Array {
  const codes = new Uint32Array(lengths.length);
  const order = Array.from(lengths.keys()).filter((s) => lengths[s] > 0).sort((a, b) => lengths[a] - lengths[b] || a - b);
  let code = 0;
  let len = order.length ? lengths[order[0]] : 0;
  for (const s of order) {
    code <<= lengths[s] - len;
    len = lengths[s];
    codes[s] = code++;
  }
  return codes;
}

/**
 * Writes the table and the codes of `symbols` (each < `alphabet`, alphabet <= 65535: the table's 16-bit
 * size; Hone's alphabets are at most 256 symbols: 8-bit codes and codebook indices).
 */
export function huffmanEncode(symbols: ArrayLike<number>, alphabet: number, w: BitWriter): void {
  const counts = new Uint32Array(alphabet);
  let top = 0;
  for (let i = 0; i < symbols.length; i++) {
    counts[symbols[i]]++;
    top = Math.max(top, symbols[i] + 1);
  }
  const lengths = codeLengths(counts.subarray(0, top));
  const codes = canonicalCodes(lengths);
  w.write(top >>> 8, 8);
  w.write(top & 0xff, 8);
  for (let s = 0; s < top; s++) w.write(lengths[s], 4);
  for (let i = 0; i < symbols.length; i++) w.write(codes[symbols[i]], lengths[symbols[i]]);
}

/** Reads a table written by `huffmanEncode`; `next()` then decodes one symbol at a time. */
export function huffmanDecoder(r: BitReader): { next(): number } {
  const top = r.read(16);
  const lengths = new Uint8Array(top);
  for (let s = 0; s < top; s++) lengths[s] = r.read(4);
  // Canonical decoding (as zlib's puff.c): per length, the first code and where its symbols start in `sorted`.
  const sorted = Array.from(lengths.keys()).filter((s) => lengths[s] > 0).sort((a, b) => lengths[a] - lengths[b] || a - b);
  const perLength = new Int32Array(MAX_CODE_LENGTH + 1);
  for (const s of sorted) perLength[lengths[s]]++;
  return {
    next(): number {
      let code = 0;
      let first = 0;
      let index = 0;
      for (let len = 1; len <= MAX_CODE_LENGTH; len++) {
        code |= r.bit();
        if (code - first < perLength[len]) return sorted[index + code - first];
        index += perLength[len];
        first = (first + perLength[len]) << 1;
        code <<= 1;
      }
      throw new Error('packed data is damaged: no Huffman code matches');
    },
  };
}

/** Reads a table and then `count` symbols written by `huffmanEncode`. */
export function huffmanDecode(r: BitReader, count: number): Uint16Array {
  const d = huffmanDecoder(r);
  const out = new Uint16Array(count);
  for (let i = 0; i < count; i++) out[i] = d.next();
  return out;
}

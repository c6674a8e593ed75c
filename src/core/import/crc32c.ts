/**
 * CRC-32C (Castagnoli; reflected polynomial 0x82F63B78, init and final xor 0xFFFFFFFF), the checksum of
 * TFRecord framing. Byte-wise table lookup: event files are read once, so slicing-by-8 would not pay.
 * Known answers: "123456789" -> 0xE3069283; RFC 3720 B.4: 32 zero bytes -> 0x8A9136AA.
 */
const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[n] = c;
  }
  return t;
})();

/** CRC-32C of `bytes`, as an unsigned 32-bit number. */
export function crc32c(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * TFRecord's masked CRC: rotate right by 15 bits, add 0xA282EAD8 (mod 2^32). Masking keeps a CRC of data
 * that itself holds CRCs from being trivially related to them (TensorFlow's lib/hash/crc32c.h).
 */
export function maskCrc(crc: number): number {
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

/** `maskCrc(crc32c(bytes))`: the checksum stored in TFRecord framing. */
export const maskedCrc32c = (bytes: Uint8Array): number => maskCrc(crc32c(bytes));

// CRC-32C known answers: the check value of the Castagnoli CRC catalogue and RFC 3720 appendix B.4.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32c, maskCrc, maskedCrc32c } from '../../src/core/import';

test('crc32c("123456789") is the catalogue check value 0xE3069283', () => {
  assert.equal(crc32c(Buffer.from('123456789')), 0xe3069283);
});

test('crc32c matches the RFC 3720 B.4 test vectors', () => {
  assert.equal(crc32c(Buffer.alloc(32, 0)), 0x8a9136aa, '32 bytes of zeros');
  assert.equal(crc32c(Buffer.alloc(32, 0xff)), 0x62a8ab43, '32 bytes of 0xff');
  assert.equal(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => i))), 0x46dd794e, '32 incrementing bytes');
  assert.equal(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => 31 - i))), 0x113fdb5c, '32 decrementing bytes');
});

test('crc32c of nothing is 0', () => {
  assert.equal(crc32c(new Uint8Array(0)), 0);
});

test('maskCrc rotates right by 15 and adds 0xa282ead8 mod 2^32 (hand-computed)', () => {
  // 0xE3069283 >>> 15 = 0x0001C60D; (0xE3069283 << 17) mod 2^32 = 0x25060000; 0x2507C60D + 0xA282EAD8 = 0xC78AB0E5.
  assert.equal(maskCrc(0xe3069283), 0xc78ab0e5);
  assert.equal(maskCrc(0), 0xa282ead8);
  assert.equal(maskedCrc32c(Buffer.from('123456789')), 0xc78ab0e5);
});

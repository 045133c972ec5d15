/**
 * CRC32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of every WAL frame.
 *
 * Why CRC32C: it detects every burst error up to 32 bits and every odd number of bit flips
 * in a frame, which is what torn sectors and flipped bits look like; it is the checksum of
 * iSCSI, ext4 metadata, etcd's WAL and LevelDB. Node 20 has no native CRC32C, so this is a
 * slicing-by-8 table implementation: eight 256-entry tables let the loop consume 8 bytes per
 * step with independent lookups (roughly 1 GB/s in V8, far above what fdatasync allows).
 *
 * `crc32c(data)` is the one-shot form; `crc32cUpdate(crc, data)` continues a running CRC, so
 * `crc32cUpdate(crc32c(a), b) === crc32c(a ‖ b)`.
 */
const POLY = 0x82f63b78;

/** TABLE[k * 256 + n]: the CRC of byte n followed by k zero bytes. */
const TABLE = (() => {
  const t = new Int32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    t[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    let c = t[n];
    for (let k = 1; k < 8; k++) {
      c = t[c & 0xff] ^ (c >>> 8);
      t[k * 256 + n] = c;
    }
  }
  return t;
})();

/** Continues a CRC32C over `data[start, end)`; start from 0 for a fresh checksum. */
export function crc32cUpdate(crc: number, data: Uint8Array, start = 0, end = data.length): number {
  const t = TABLE;
  let c = ~crc;
  let i = start;
  // Byte at a time until fewer than 8 remain in the 8-byte loop's reach.
  const end8 = end - ((end - i) & 7);
  for (; i < end8; i += 8) {
    const lo = c ^ (data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24));
    c =
      t[7 * 256 + (lo & 0xff)] ^
      t[6 * 256 + ((lo >>> 8) & 0xff)] ^
      t[5 * 256 + ((lo >>> 16) & 0xff)] ^
      t[4 * 256 + (lo >>> 24)] ^
      t[3 * 256 + data[i + 4]] ^
      t[2 * 256 + data[i + 5]] ^
      t[1 * 256 + data[i + 6]] ^
      t[data[i + 7]];
  }
  for (; i < end; i++) c = t[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/** CRC32C of `data[start, end)`. */
export function crc32c(data: Uint8Array, start = 0, end = data.length): number {
  return crc32cUpdate(0, data, start, end);
}

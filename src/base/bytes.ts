/**
 * Little-endian byte writer/reader shared by every binary format (module, WAL, values).
 * The reader never reads past its end: every read checks bounds and throws `ByteRangeError`,
 * which decoders turn into a format error (hostile input must never crash the host).
 */
export class ByteRangeError extends Error {
  override name = "ByteRangeError";
}

const textEncoder = new TextEncoder();
// ignoreBOM: a leading U+FEFF is data, not a byte-order mark to strip.
const textDecoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  length = 0;

  constructor(initial = 256) {
    this.buf = new Uint8Array(initial);
    this.view = new DataView(this.buf.buffer);
  }

  private ensure(n: number): void {
    const need = this.length + n;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): this {
    this.ensure(1);
    this.buf[this.length++] = v;
    return this;
  }
  u16(v: number): this {
    this.ensure(2);
    this.view.setUint16(this.length, v, true);
    this.length += 2;
    return this;
  }
  u32(v: number): this {
    this.ensure(4);
    this.view.setUint32(this.length, v >>> 0, true);
    this.length += 4;
    return this;
  }
  i32(v: number): this {
    this.ensure(4);
    this.view.setInt32(this.length, v, true);
    this.length += 4;
    return this;
  }
  /** Unsigned integer up to 2^53−1 as 8 bytes. */
  u64(v: number): this {
    this.ensure(8);
    this.view.setUint32(this.length, v % 0x100000000, true);
    this.view.setUint32(this.length + 4, Math.floor(v / 0x100000000), true);
    this.length += 8;
    return this;
  }
  f64(v: number): this {
    this.ensure(8);
    this.view.setFloat64(this.length, v, true);
    this.length += 8;
    return this;
  }
  /** LEB128 unsigned varint for 0..2^53−1. */
  uvar(v: number): this {
    this.ensure(8);
    while (v >= 0x80) {
      this.buf[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.length++] = v;
    return this;
  }
  /** Zig-zag signed varint for ±(2^53−1). */
  svar(v: number): this {
    return this.uvar(v < 0 ? -v * 2 - 1 : v * 2);
  }
  bytes(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
    return this;
  }
  /** Length-prefixed (uvar) bytes. */
  blob(b: Uint8Array): this {
    this.uvar(b.length);
    return this.bytes(b);
  }
  /** Length-prefixed UTF-8 string. Short ASCII strings (ids, names) skip the encoder. */
  str(s: string): this {
    const n = s.length;
    if (n < 128) {
      this.ensure(n + 1);
      const start = this.length;
      const buf = this.buf;
      buf[start] = n;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c > 0x7f) break;
        buf[start + 1 + i] = c;
      }
      if (i === n) {
        this.length = start + 1 + n;
        return this;
      }
    }
    return this.blob(textEncoder.encode(s));
  }

  /** Forgets the written bytes (the buffer is kept for reuse). */
  reset(): this {
    this.length = 0;
    return this;
  }
  /** A view of the written bytes (valid until the next write). */
  view_(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
  /** A copy of the written bytes. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

export class ByteReader {
  private dv: DataView | null = null;
  pos: number;

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  /** Created on first use: most records are read with byte-level decoders only. */
  private get view(): DataView {
    if (this.dv === null) this.dv = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    return this.dv;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number): void {
    if (n < 0 || this.pos + n > this.end) {
      throw new ByteRangeError(`unexpected end of data at byte ${this.pos} (need ${n}, have ${this.end - this.pos})`);
    }
  }
  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }
  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
  i32(): number {
    this.need(4);
    const v = this.view.getInt32(this.pos, true);
    this.pos += 4;
    return v;
  }
  u64(): number {
    this.need(8);
    // Two 32-bit halves (no BigInt): the high half must stay below 2^21 (values ≤ 2^53−1).
    const lo = this.view.getUint32(this.pos, true);
    const hi = this.view.getUint32(this.pos + 4, true);
    this.pos += 8;
    if (hi >= 0x200000) throw new ByteRangeError(`u64 out of range at byte ${this.pos - 8}`);
    return hi * 0x100000000 + lo;
  }
  f64(): number {
    this.need(8);
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }
  uvar(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.u8();
      result += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) {
        if (result > Number.MAX_SAFE_INTEGER) throw new ByteRangeError(`varint out of range at byte ${this.pos}`);
        return result;
      }
      mul *= 0x80;
    }
    throw new ByteRangeError(`varint too long at byte ${this.pos}`);
  }
  svar(): number {
    const z = this.uvar();
    return z % 2 === 1 ? -(z + 1) / 2 : z / 2;
  }
  bytes(n: number): Uint8Array {
    this.need(n);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
  blob(): Uint8Array {
    return this.bytes(this.uvar());
  }
  str(): string {
    const b = this.blob();
    // Short ASCII strings (ids, names) without the decoder: it dominates replay otherwise.
    if (b.length <= 64) {
      let ascii = true;
      for (let i = 0; i < b.length; i++) {
        if (b[i]! > 0x7f) {
          ascii = false;
          break;
        }
      }
      if (ascii) return String.fromCharCode.apply(null, b as unknown as number[]);
    }
    try {
      return textDecoder.decode(b);
    } catch {
      throw new ByteRangeError(`invalid UTF-8 in string ending at byte ${this.pos}`);
    }
  }
}

export function utf8(s: string): Uint8Array {
  return textEncoder.encode(s);
}
export function fromUtf8(b: Uint8Array): string {
  return textDecoder.decode(b);
}

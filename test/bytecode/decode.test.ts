import { describe, expect, it } from "vitest";
import { ByteWriter } from "../../src/base/bytes.ts";
import { sha256Parts } from "../../src/base/hash.ts";
import { FN_CODE_WORDS_MAX, MODULE_BYTES_MAX, MODULE_TABLE_MAX } from "../../src/base/limits.ts";
import { MODULE_MAGIC, ModuleFormatError, decodeModule, encodeModule, verifyModule } from "../../src/bytecode/index.ts";
import { HEADER_BYTES, HEADER_HASH_OFFSET, SECTION } from "../../src/bytecode/format.ts";
import { mod, tinyModule } from "./builder.ts";
import { sampleModule } from "./sample.ts";

type Frame = { id: number; payload: Uint8Array };

/** Splits a valid encoding into its frames. */
function framesOf(bytes: Uint8Array): Frame[] {
  const out: Frame[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let pos = HEADER_BYTES; pos < bytes.length; ) {
    const id = bytes[pos]!;
    const len = view.getUint32(pos + 1, true);
    out.push({ id, payload: bytes.slice(pos + 5, pos + 5 + len) });
    pos += 5 + len;
  }
  return out;
}

/** Builds a file from frames with a correct hash over the non-debug frames (version 1 unless given). */
function assemble(frames: readonly Frame[], version = 1): Uint8Array {
  const body = new ByteWriter();
  const core = new ByteWriter();
  for (const f of frames) {
    body.u8(f.id).u32(f.payload.length).bytes(f.payload);
    if (f.id !== SECTION.debug) core.u8(f.id).u32(f.payload.length).bytes(f.payload);
  }
  const ver = Uint8Array.of(version & 0xff, version >>> 8);
  const hash = sha256Parts([MODULE_MAGIC, ver, core.finish()]);
  const w = new ByteWriter();
  w.bytes(MODULE_MAGIC).bytes(ver).bytes(hash).bytes(body.finish());
  return w.finish();
}

/** Replaces the payload of section `id` in a valid encoding. */
function withSection(bytes: Uint8Array, id: number, payload: Uint8Array): Uint8Array {
  return assemble(framesOf(bytes).map((f) => (f.id === id ? { id, payload } : f)));
}

function payload(write: (w: ByteWriter) => void): Uint8Array {
  const w = new ByteWriter();
  write(w);
  return w.finish();
}

function formatError(bytes: Uint8Array): ModuleFormatError {
  try {
    decodeModule(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(ModuleFormatError);
    const err = e as ModuleFormatError;
    expect(err.code).toBe("LXM-FORMAT");
    expect(err.exitCode).toBe(1);
    return err;
  }
  throw new Error("expected decodeModule to throw");
}

const valid = encodeModule(sampleModule());
const tiny = encodeModule(tinyModule());

describe("decodeModule: header", () => {
  it("rejects input that is not bytes", () => {
    expect(formatError("LXM" as unknown as Uint8Array).message).toMatch(/not a byte array/);
  });

  it("rejects a file shorter than the header", () => {
    const e = formatError(valid.subarray(0, HEADER_BYTES - 1));
    expect(e.section).toBe("header");
    expect(e.message).toMatch(/shorter than the 38-byte header/);
  });

  it("rejects a bad magic", () => {
    const b = valid.slice();
    b[2] = 0x58;
    const e = formatError(b);
    expect(e.message).toMatch(/bad magic/);
    expect(e.offset).toBe(2);
  });

  it("rejects an unsupported format version", () => {
    const e = formatError(assemble(framesOf(tiny), 2));
    expect(e.message).toMatch(/unsupported format version 2 \(this build reads 1\)/);
    expect(e.offset).toBe(4);
  });

  it("rejects a file over MODULE_BYTES_MAX without reading it", () => {
    const e = formatError(new Uint8Array(MODULE_BYTES_MAX + 1));
    expect(e.message).toMatch(/over MODULE_BYTES_MAX/);
  });
});

describe("decodeModule: program hash", () => {
  it("rejects a damaged hash field", () => {
    const b = valid.slice();
    b[HEADER_HASH_OFFSET + 7]! ^= 0x01;
    const e = formatError(b);
    expect(e.message).toMatch(/program hash mismatch/);
    expect(e.section).toBe("header");
  });

  it("rejects damaged contents that still parse, and reports the hash they have", () => {
    const m = tinyModule();
    const b = encodeModule(m);
    // The last code word of T.Go is REPLY; the INT immediate 1 sits 5 words before the end
    // of the fns section. Find the little-endian word 1 followed by ADD_I and change it.
    const idx = Buffer.from(b).indexOf(Buffer.from([1, 0, 0, 0, 13, 0, 0, 0]));
    expect(idx).toBeGreaterThan(0);
    b[idx] = 2;
    const e = formatError(b);
    expect(e.message).toMatch(/program hash mismatch/);
    // Resealing with the reported hash gives a module that decodes (and differs).
    const actual = e.details.actualHash as string;
    b.set(Buffer.from(actual.slice(2), "hex"), HEADER_HASH_OFFSET);
    expect(decodeModule(b).fns[1]!.code[3]).toBe(2);
  });

  it("ignores debug info: a file cut exactly before the debug section is the same program", () => {
    const withoutDebug = encodeModule(sampleModule({ debug: null }));
    const cut = decodeModule(valid.subarray(0, withoutDebug.length));
    expect(cut.debug).toBeNull();
    expect(cut.programHash).toBe(sampleModule().programHash);
  });
});

describe("decodeModule: truncation and framing", () => {
  it("rejects every other truncation of a valid file with ModuleFormatError", () => {
    const debugStart = encodeModule(sampleModule({ debug: null })).length;
    for (let n = 0; n < valid.length; n++) {
      if (n === debugStart) continue;
      formatError(valid.subarray(0, n));
    }
  });

  it("rejects a section length that runs past the end of the file", () => {
    const b = valid.slice();
    new DataView(b.buffer).setUint32(HEADER_BYTES + 1, 0xfffffff0, true);
    const e = formatError(b);
    expect(e.section).toBe("consts");
    expect(e.offset).toBe(HEADER_BYTES);
    expect(e.message).toMatch(/section length 4294967280 runs past the end of the file/);
  });

  it("rejects a truncated section frame", () => {
    const b = new Uint8Array(tiny.length + 3);
    b.set(tiny);
    b[tiny.length] = SECTION.debug;
    expect(formatError(b).message).toMatch(/truncated section frame after section fuel/);
  });

  it("rejects an unknown section id", () => {
    const frames = framesOf(tiny);
    expect(formatError(assemble([...frames, { id: 9, payload: new Uint8Array(0) }])).message).toMatch(/unknown section id 9/);
    expect(formatError(assemble([{ id: 0, payload: new Uint8Array(0) }, ...frames])).message).toMatch(/unknown section id 0/);
  });

  it("rejects sections out of order or repeated", () => {
    const frames = framesOf(tiny);
    const [c, t, ...rest] = frames;
    // Types first: consts can no longer come, so it is reported missing.
    expect(formatError(assemble([t!, c!, ...rest])).message).toMatch(/section consts is missing \(found types instead\)/);
    expect(formatError(assemble([...frames, t!])).message).toMatch(/section types is out of order or repeated \(after fuel\)/);
    expect(formatError(assemble([c!, c!, t!, ...rest])).message).toMatch(/section consts is out of order or repeated \(after consts\)/);
  });

  it("rejects a missing required section", () => {
    const frames = framesOf(tiny).filter((f) => f.id !== SECTION.effects);
    expect(formatError(assemble(frames)).message).toMatch(/section effects is missing \(found fns instead\)/);
    const noFuel = framesOf(tiny).filter((f) => f.id !== SECTION.fuel);
    expect(formatError(assemble(noFuel)).message).toMatch(/section fuel is missing \(file ends\)/);
    expect(formatError(assemble([])).message).toMatch(/section consts is missing/);
  });

  it("rejects bytes left over inside a section", () => {
    const e = formatError(withSection(tiny, SECTION.fuel, payload((w) => w.uvar(1000).u8(0))));
    expect(e.section).toBe("fuel");
    expect(e.message).toMatch(/1 unexpected bytes at the end of the section/);
  });
});

describe("decodeModule: sizes and values", () => {
  it("accepts a table of exactly MODULE_TABLE_MAX entries", () => {
    const m = mod({ types: Array.from({ length: MODULE_TABLE_MAX }, () => ({ k: "int" as const })) });
    const back = decodeModule(encodeModule(m));
    expect(back.types.length).toBe(MODULE_TABLE_MAX);
    verifyModule(back);
  });

  it("rejects a table one entry over MODULE_TABLE_MAX before allocating", () => {
    const big = payload((w) => w.uvar(MODULE_TABLE_MAX + 1));
    const e = formatError(withSection(tiny, SECTION.types, big));
    expect(e.section).toBe("types");
    expect(e.message).toMatch(/type count 1048577 is over the limit 1048576/);
  });

  it("rejects a count larger than the bytes left could hold", () => {
    const e = formatError(withSection(tiny, SECTION.consts, payload((w) => w.uvar(1000).u8(0).uvar(1))));
    expect(e.message).toMatch(/constant count 1000 needs at least 2000 bytes, only 2 left/);
  });

  it("rejects a function longer than FN_CODE_WORDS_MAX before allocating", () => {
    const p = payload((w) => w.uvar(1).str("f").u8(0).uvar(0).uvar(0).uvar(0).uvar(FN_CODE_WORDS_MAX + 1));
    expect(formatError(withSection(tiny, SECTION.fns, p)).message).toMatch(/code word count 16777217 is over the limit/);
  });

  it("rejects invalid UTF-8 in a string", () => {
    const p = payload((w) => w.uvar(1).u8(3).uvar(2).u8(0xc3).u8(0x28));
    const e = formatError(withSection(tiny, SECTION.consts, p));
    expect(e.message).toMatch(/constant 0 is not valid UTF-8/);
    expect(e.offset).toBe(HEADER_BYTES + 5 + 2);
  });

  it("rejects a string length past the section end", () => {
    const p = payload((w) => w.uvar(1).u8(3).uvar(200).u8(0x41).u8(0x41));
    expect(formatError(withSection(tiny, SECTION.consts, p)).message).toMatch(/constant 0 length 200 runs past the section end/);
  });

  it("rejects unknown tags and kinds", () => {
    expect(formatError(withSection(tiny, SECTION.consts, payload((w) => w.uvar(1).u8(7).uvar(0)))).message).toMatch(
      /constant 0 has unknown tag 7/,
    );
    expect(formatError(withSection(tiny, SECTION.types, payload((w) => w.uvar(1).u8(13)))).message).toMatch(/type 0 has unknown kind 13/);
    const fnKind = payload((w) => w.uvar(1).str("f").u8(5).uvar(0).uvar(0).uvar(0).uvar(0));
    expect(formatError(withSection(tiny, SECTION.fns, fnKind)).message).toMatch(/function 0 \(f\) has unknown kind 5/);
  });

  it("rejects a negative-zero int constant (not canonical)", () => {
    const p = payload((w) => w.uvar(1).u8(1).uvar(0));
    expect(formatError(withSection(tiny, SECTION.consts, p)).message).toMatch(/negative zero/);
  });

  it("rejects a priority outside 0..4", () => {
    const p = payload((w) => w.uvar(1).str("D").u8(5).uvar(0).uvar(0).uvar(0).uvar(0).uvar(0).uvar(0));
    expect(formatError(withSection(tiny, SECTION.domains, p)).message).toMatch(/domain 0 priority 5 is not a priority/);
  });

  it("rejects an index that does not fit in 31 bits and an overlong varint", () => {
    const p = payload((w) => w.uvar(1).u8(6).uvar(2 ** 31));
    expect(formatError(withSection(tiny, SECTION.types, p)).message).toMatch(/type 0 element type 2147483648 does not fit in 31 bits/);
    const long = payload((w) => w.bytes(Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01)));
    expect(formatError(withSection(tiny, SECTION.fuel, long)).message).toMatch(/fuelPerSlice: varint too long/);
  });
});

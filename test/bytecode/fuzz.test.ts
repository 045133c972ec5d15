/**
 * Hostile input never crashes the host: random bytes and mutated modules go through
 * `decodeModule` + `disassemble` + `verifyModule`, which must either succeed or throw
 * `ModuleFormatError` / `ModuleVerifyError` — never anything else — and finish quickly.
 * fast-check prints the seed and path of any failure so it can be replayed.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sha256Parts } from "../../src/base/hash.ts";
import {
  MODULE_MAGIC,
  ModuleFormatError,
  ModuleVerifyError,
  OPS,
  decodeModule,
  disassemble,
  encodeModule,
  verifyModule,
  type Module,
} from "../../src/bytecode/index.ts";
import { HEADER_BYTES, HEADER_HASH_OFFSET } from "../../src/bytecode/format.ts";
import { mod, tinyModule } from "./builder.ts";
import { sampleModule } from "./sample.ts";

/** Per-call budget: generous for slow CI machines, far below what a hang or blow-up takes. */
const CALL_MS_MAX = 500;

type Outcome = "ok" | "format" | "verify";
const tally: Record<Outcome, number> = { ok: 0, format: 0, verify: 0 };

function check(bytes: Uint8Array): Outcome {
  const t0 = performance.now();
  let outcome: Outcome;
  try {
    const m = decodeModule(bytes);
    // The listing must cope with modules that fail verification.
    expect(typeof disassemble(m)).toBe("string");
    verifyModule(m);
    outcome = "ok";
  } catch (e) {
    if (e instanceof ModuleFormatError) outcome = "format";
    else if (e instanceof ModuleVerifyError) outcome = "verify";
    else throw e;
  }
  const ms = performance.now() - t0;
  expect(ms, `decode+verify took ${ms.toFixed(1)} ms`).toBeLessThan(CALL_MS_MAX);
  tally[outcome]++;
  return outcome;
}

/**
 * Writes the hash the contents actually have into the header, so damage past the hash check
 * reaches the verifier. Returns null when the bytes do not even parse.
 */
function reseal(bytes: Uint8Array): Uint8Array | null {
  try {
    decodeModule(bytes);
    return bytes;
  } catch (e) {
    if (!(e instanceof ModuleFormatError)) throw e;
    const actual = e.details.actualHash;
    if (typeof actual !== "string") return null;
    const out = bytes.slice();
    out.set(Buffer.from(actual.slice(2), "hex"), HEADER_HASH_OFFSET);
    return out;
  }
}

/** Checks the mutated bytes as they are, and resealed. */
function checkBoth(bytes: Uint8Array): void {
  check(bytes);
  const sealed = reseal(bytes);
  if (sealed !== null) check(sealed);
}

const seeds: Uint8Array[] = [encodeModule(sampleModule()), encodeModule(sampleModule({ debug: null })), encodeModule(tinyModule())];

type Mutation =
  | { k: "flip"; at: number; bit: number }
  | { k: "byte"; at: number; v: number }
  | { k: "u32"; at: number; v: number }
  | { k: "truncate"; at: number }
  | { k: "delete"; at: number; n: number }
  | { k: "insert"; at: number; bytes: Uint8Array }
  | { k: "copy"; from: number; to: number; n: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ k: fc.constant("flip" as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ k: fc.constant("byte" as const), at: fc.nat(), v: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ k: fc.constant("u32" as const), at: fc.nat(), v: fc.oneof(fc.integer({ min: 0, max: 300 }), fc.nat(), fc.constant(0xffffffff)) }),
  fc.record({ k: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({ k: fc.constant("delete" as const), at: fc.nat(), n: fc.integer({ min: 1, max: 16 }) }),
  fc.record({ k: fc.constant("insert" as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
  fc.record({ k: fc.constant("copy" as const), from: fc.nat(), to: fc.nat(), n: fc.integer({ min: 1, max: 64 }) }),
);

function mutate(src: Uint8Array, mu: Mutation): Uint8Array {
  const len = src.length;
  if (len < 4 && mu.k !== "insert") return src;
  // Keep the header mostly intact so mutations reach the sections; bytes 0..5 are tested elsewhere.
  const pos = (n: number): number => (len <= HEADER_BYTES ? n % Math.max(len, 1) : HEADER_BYTES + (n % (len - HEADER_BYTES)));
  switch (mu.k) {
    case "flip": {
      const b = src.slice();
      b[pos(mu.at)]! ^= 1 << mu.bit;
      return b;
    }
    case "byte": {
      const b = src.slice();
      b[pos(mu.at)] = mu.v;
      return b;
    }
    case "u32": {
      const b = src.slice();
      const at = Math.min(pos(mu.at), len - 4);
      new DataView(b.buffer).setUint32(at, mu.v >>> 0, true);
      return b;
    }
    case "truncate":
      return src.slice(0, mu.at % len);
    case "delete": {
      const at = pos(mu.at);
      return Uint8Array.from([...src.subarray(0, at), ...src.subarray(at + mu.n)]);
    }
    case "insert": {
      const at = pos(mu.at);
      return Uint8Array.from([...src.subarray(0, at), ...mu.bytes, ...src.subarray(at)]);
    }
    case "copy": {
      const b = src.slice();
      const from = pos(mu.from);
      const to = pos(mu.to);
      b.copyWithin(to, from, Math.min(from + mu.n, len));
      return b;
    }
  }
}

/** A header with the right magic and version, so random bodies are parsed as sections. */
function withHeader(body: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES + body.length);
  out.set(MODULE_MAGIC);
  out[4] = 1;
  out.set(sha256Parts([body]), HEADER_HASH_OFFSET);
  out.set(body, HEADER_BYTES);
  return out;
}

/** Random section frames with plausible ids and lengths, in order. */
const framedBody: fc.Arbitrary<Uint8Array> = fc
  .array(fc.uint8Array({ maxLength: 40 }), { minLength: 0, maxLength: 7 })
  .map((payloads) => {
    const parts: number[] = [];
    payloads.forEach((p, i) => {
      parts.push(i + 1, p.length & 0xff, p.length >>> 8, 0, 0, ...p);
    });
    return Uint8Array.from(parts);
  });

describe("fuzz: decode + verify never throw anything else", () => {
  it("random byte strings (1000 cases)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (b) => {
        check(b);
        check(withHeader(b));
      }),
      { numRuns: 1000 },
    );
  });

  it("random section frames behind a valid header (1000 cases)", () => {
    fc.assert(
      fc.property(framedBody, (b) => {
        checkBoth(withHeader(b));
      }),
      { numRuns: 1000 },
    );
  });

  it("mutations of valid modules: bit flips, bytes, words, truncations, splices (3000 cases)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: seeds.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), (s, mus) => {
        let b = seeds[s]!;
        for (const mu of mus) b = mutate(b, mu);
        checkBoth(b);
      }),
      { numRuns: 3000 },
    );
  });

  // Code-word mutations at the module level, re-encoded with a correct hash, so every case
  // reaches the verifier's code checks (and a few still verify).
  const interesting = fc.oneof(
    fc.integer({ min: 0, max: OPS.length + 1 }),
    fc.integer({ min: -3, max: 40 }),
    fc.integer({ min: -2147483648, max: 2147483647 }),
  );

  it("random int32 word changes in code, re-hashed (2000 cases)", () => {
    const base = sampleModule();
    fc.assert(
      fc.property(
        fc.array(fc.record({ fn: fc.nat(), at: fc.nat(), v: interesting }), { minLength: 1, maxLength: 3 }),
        (changes) => {
          const fns = base.fns.map((f) => ({ ...f, code: Int32Array.from(f.code) }));
          for (const c of changes) {
            const f = fns[c.fn % fns.length]!;
            f.code[c.at % f.code.length] = c.v;
          }
          const m: Module = mod({ ...base, fns });
          const out = check(encodeModule(m));
          expect(out === "ok" || out === "verify").toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("reached every outcome", () => {
    // Guards against a fuzzer that only ever exercises the magic check.
    expect(tally.ok).toBeGreaterThan(0);
    expect(tally.format).toBeGreaterThan(0);
    expect(tally.verify).toBeGreaterThan(0);
  });
});

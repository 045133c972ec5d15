import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeDomainDir,
  decodeInstanceDirs,
  encodeDomainDir,
  encodeInstanceDirs,
  isValidInstanceId,
  parseSnapshotFileName,
  PATH_COMPONENT_CHARS_MAX,
  snapshotFileName,
} from "../../src/snapshot/index.ts";
import { isContinuationDir, isTempFileName, tempFileName } from "../../src/snapshot/naming.ts";

const enc = new TextEncoder();

function checkComponents(id: string): string[] {
  const parts = encodeInstanceDirs(id);
  for (const [k, p] of parts.entries()) {
    expect(p.length).toBeGreaterThan(0);
    expect(p.length).toBeLessThanOrEqual(PATH_COMPONENT_CHARS_MAX);
    expect(p).toMatch(/^[A-Za-z0-9_.%-]+\+?$/);
    expect(p.startsWith(".")).toBe(false);
    expect(isContinuationDir(p)).toBe(k < parts.length - 1);
  }
  expect(decodeInstanceDirs(parts)).toBe(id);
  return parts;
}

describe("instance id encoding", () => {
  it.each([
    ["o-1", ["o-1"]],
    ["eu_1.x", ["eu_1.x"]],
    ["a/b", ["a%2Fb"]],
    ["100%", ["100%25"]],
    ["..", ["%2E."]],
    [".", ["%2E"]],
    [".hidden", ["%2Ehidden"]],
    ["a.", ["a."]],
    ["a b+c", ["a%20b%2Bc"]],
    ["é", ["%C3%A9"]],
    ["🎉", ["%F0%9F%8E%89"]],
    ["Ünïcödé/..", ["%C3%9Cn%C3%AFc%C3%B6d%C3%A9%2F.."]],
    ["\\", ["%5C"]],
  ])("%j encodes as %j and back", (id, parts) => {
    expect(checkComponents(id)).toEqual(parts);
  });

  it("splits 256-byte ids over nested components that fit NAME_MAX", () => {
    const ascii = "a".repeat(256);
    const p1 = checkComponents(ascii);
    expect(p1).toEqual(["a".repeat(199) + "+", "a".repeat(57)]);

    const twoByte = "é".repeat(128); // 256 bytes, 768 encoded characters
    expect(enc.encode(twoByte).length).toBe(256);
    const p2 = checkComponents(twoByte);
    expect(p2.length).toBe(4);
    expect(p2.join("").replace(/\+/g, "").length).toBe(768);

    const slashes = "/".repeat(256);
    expect(checkComponents(slashes).length).toBe(4);

    const emoji = "🎉".repeat(64); // 4-byte code points, 256 bytes
    checkComponents(emoji);

    // A `.` landing at the start of a continuation component is encoded there.
    const dots = "a".repeat(199) + ".".repeat(57);
    const p3 = checkComponents(dots);
    expect(p3[1].startsWith("%2E")).toBe(true);
    const allDots = ".".repeat(256);
    for (const p of checkComponents(allDots)) expect(p.startsWith("%2E")).toBe(true);
  });

  it("is injective and canonical for arbitrary valid ids (property)", () => {
    const idArb = fc
      .string({ unit: fc.oneof(fc.constantFrom(".", "/", "%", "+", "a", "Z", "-", "_", " ", "é", "🎉"), fc.string({ unit: "binary", minLength: 1, maxLength: 1 })), minLength: 1, maxLength: 120 })
      .filter(isValidInstanceId);
    fc.assert(
      fc.property(idArb, idArb, (a, b) => {
        const pa = checkComponents(a);
        const pb = checkComponents(b);
        expect(pa.join("/") === pb.join("/")).toBe(a === b);
      }),
      { numRuns: 500 },
    );
  });

  it("rejects invalid ids (rules.md [46])", () => {
    for (const bad of ["", "a".repeat(257), "é".repeat(129), "a\u0000b", "tab\t", "del\u007f", "c1\u0085", "\ud800", "x\udc00"]) {
      expect(isValidInstanceId(bad)).toBe(false);
      expect(() => encodeInstanceDirs(bad)).toThrow(/invalid instance id/);
    }
    expect(isValidInstanceId("a".repeat(256))).toBe(true);
  });

  it("decodes strictly: only the canonical encoding is accepted", () => {
    expect(decodeInstanceDirs(["a%2fb"])).toBeNull(); // lower-case hex
    expect(decodeInstanceDirs(["%41"])).toBeNull(); // needlessly encoded
    expect(decodeInstanceDirs([".x"])).toBeNull(); // leading dot not encoded
    expect(decodeInstanceDirs(["a+"])).toBeNull(); // continuation without a next part
    expect(decodeInstanceDirs(["a+", "b"])).toBeNull(); // split where the canonical form would not split
    expect(decodeInstanceDirs(["a", "b"])).toBeNull(); // missing continuation marker
    expect(decodeInstanceDirs(["%C3"])).toBeNull(); // invalid UTF-8
    expect(decodeInstanceDirs(["%00"])).toBeNull(); // control character
    expect(decodeInstanceDirs(["a%2"])).toBeNull();
    expect(decodeInstanceDirs(["a b"])).toBeNull();
    expect(decodeInstanceDirs([])).toBeNull();
  });
});

describe("domain directories", () => {
  it("are the identifier, except `damaged`", () => {
    expect(encodeDomainDir("Order")).toBe("Order");
    expect(encodeDomainDir("damaged")).toBe("%64amaged");
    expect(decodeDomainDir("%64amaged")).toBe("damaged");
    expect(decodeDomainDir("damaged")).toBeNull();
    expect(decodeDomainDir("Order")).toBe("Order");
    expect(decodeDomainDir("9x")).toBeNull();
    expect(decodeDomainDir("%4Frder")).toBeNull();
    expect(() => encodeDomainDir("a-b")).toThrow(/invalid domain/);
    expect(encodeDomainDir("A".repeat(200))).toBe("A".repeat(200)); // at the limit
    expect(() => encodeDomainDir("A".repeat(201))).toThrow(/invalid domain/); // just past it
  });
});

describe("file names", () => {
  it("are 20-digit cycle and lsn", () => {
    expect(snapshotFileName(4092, 981233)).toBe("00000000000000004092-00000000000000981233.snapshot.json");
    expect(parseSnapshotFileName("00000000000000004092-00000000000000981233.snapshot.json")).toEqual({ cycle: 4092, lsn: 981233 });
    const max = Number.MAX_SAFE_INTEGER;
    expect(parseSnapshotFileName(snapshotFileName(max, max))).toEqual({ cycle: max, lsn: max });
  });

  it("are parsed strictly", () => {
    for (const bad of [
      "0000000000000004092-00000000000000981233.snapshot.json", // 19 digits
      "00000000000000004092-00000000000000981233.snapshot.json.tmp",
      "00000000000000004092-00000000000000981233.snapshot.jsonx",
      "00000000000000004092_00000000000000981233.snapshot.json",
      "99999999999999999999-00000000000000000001.snapshot.json", // beyond 2^53
      " 0000000000000004092-00000000000000981233.snapshot.json",
    ]) {
      expect(parseSnapshotFileName(bad)).toBeNull();
    }
    expect(() => snapshotFileName(-1, 0)).toThrow();
    expect(() => snapshotFileName(1.5, 0)).toThrow();
  });

  it("temp names are the final name plus .tmp", () => {
    const t = tempFileName(snapshotFileName(1, 2));
    expect(t).toBe("00000000000000000001-00000000000000000002.snapshot.json.tmp");
    expect(isTempFileName(t)).toBe(true);
    expect(isTempFileName("x.tmp")).toBe(false);
    expect(isTempFileName(snapshotFileName(1, 2))).toBe(false);
  });
});

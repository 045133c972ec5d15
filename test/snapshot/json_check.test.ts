import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { JsonObjectChecker } from "../../src/snapshot/json_check.ts";

function check(pieces: string[]): string | null {
  const c = new JsonObjectChecker();
  for (const p of pieces) c.feed(p);
  return c.end();
}

function isJsonObjectText(text: string): boolean {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === "object" && v !== null && !Array.isArray(v);
  } catch {
    return false;
  }
}

/** Splits `text` at the given cut points (sorted, deduplicated, clamped). */
function split(text: string, cuts: number[]): string[] {
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const out: string[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(text.slice(prev, p));
    prev = p;
  }
  out.push(text.slice(prev));
  return out;
}

describe("JsonObjectChecker", () => {
  it("accepts objects of every kind of value, split anywhere", () => {
    const text = JSON.stringify({
      a: 1,
      b: -0.5e-3,
      c: [true, false, null, "x\"\\\n\u0001\ud83c\udf89", { d: [] }, {}],
      e: "🎉é",
      f: 1e21,
      g: 0,
      "h\u2028": -12.75E+2,
    });
    for (let size = 1; size <= 5; size++) {
      const pieces: string[] = [];
      for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
      expect(check(pieces)).toBeNull();
    }
    expect(check([" \n\t{ } \r\n"])).toBeNull();
    expect(check(["{", "}"])).toBeNull();
    expect(check(['{"a":1', "2", "3}"])).toBeNull();
  });

  it.each([
    ["", /end of the state text/],
    ["[]", /must be a JSON object/],
    ["1", /must be a JSON object/],
    ['"x"', /must be a JSON object/],
    ["{", /end of the state text/],
    ["{}{}", /after the JSON object/],
    ['{"a":01}', /expected ','/],
    ['{"a":1.}', /incomplete number/],
    ['{"a":-}', /incomplete number/],
    ['{"a":1e}', /incomplete number/],
    ['{"a":.5}', /expected a value/],
    ['{"a":+1}', /expected a value/],
    ['{"a":tru}', /bad literal/],
    ['{"a":nul', /end of the state text/],
    ['{"a":1,}', /expected a key/],
    ['{"a" 1}', /expected ':'/],
    ["{'a':1}", /expected a key/],
    ['{"a":[1,]}', /expected a value/],
    ['{"a":[1}', /expected ','/],
    ['{"a":"\t"}', /control character/],
    ['{"a":"\\x"}', /bad escape/],
    ['{"a":"\\u12g4"}', /bad \\u escape/],
    ['{"a":"\ud800"}', /lone high surrogate/],
    ['{"a":"\udc00"}', /lone low surrogate/],
    ['{"a":NaN}', /expected a value/],
    ['{"a":1}\u00a0', /after the JSON object/],
  ])("rejects %j", (text, msg) => {
    expect(check([text])).toMatch(msg);
  });

  it("tracks surrogate pairs across pieces", () => {
    expect(check(['{"a":"\ud83c', '\udf89"}'])).toBeNull();
    expect(check(['{"a":"\ud83c', '"}'])).toMatch(/lone high surrogate/);
  });

  it("accepts JSON.stringify of any object, in any chunking (property)", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.array(fc.nat(), { maxLength: 20 }), (obj, cuts) => {
        const text = JSON.stringify(obj);
        expect(check(split(text, cuts))).toBeNull();
      }),
      { numRuns: 300 },
    );
  });

  it("agrees with JSON.parse on mutated texts (property)", () => {
    const alphabet = fc.constantFrom(..."{}[]:,\"\\ 0123456789.eE+-tfnrulsa\nxé".split(""));
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 }),
        fc.array(fc.tuple(fc.nat(), alphabet, fc.constantFrom("replace", "insert", "delete")), { minLength: 1, maxLength: 3 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (obj, edits, cuts) => {
          let text = JSON.stringify(obj);
          for (const [pos, ch, kind] of edits) {
            const i = pos % (text.length + 1);
            if (kind === "replace") text = text.slice(0, i) + ch + text.slice(i + 1);
            else if (kind === "insert") text = text.slice(0, i) + ch + text.slice(i);
            else text = text.slice(0, i) + text.slice(i + 1);
          }
          if (/[\ud800-\udfff]/.test(text)) return; // raw surrogates: the checker is stricter by design
          expect(check(split(text, cuts)) === null).toBe(isJsonObjectText(text));
        },
      ),
      { numRuns: 3000 },
    );
  });
});

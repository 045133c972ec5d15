/**
 * The `json` value: an immutable, canonical plain JSON value (rules.md [29]).
 *
 * Canonical means: only null, booleans, finite numbers (−0 stored as 0), well-formed strings
 * (no lone surrogates), arrays and plain objects; deeply frozen; objects' keys are emitted in
 * ascending code-point order by `text` (JS objects cannot hold that order themselves: they put
 * integer-like keys first, so the order lives in the serializer, never in the object).
 *
 * Hash: H(0x15 ‖ canonical JSON text as UTF-8). The text is JSON.stringify's form for
 * scalars (ECMAScript shortest numbers, its string escaping) with no whitespace.
 */
import { assert } from "../../base/assert.ts";
import { compareStrings } from "../../base/strings.ts";
import { COLLECTION_LEN_MAX, STRING_LEN_MAX } from "../../base/limits.ts";
import { Composite, sBegin, sDigest, sUtf8, type Hashable } from "./core.ts";
import { JsonShapeError, pointerSegment } from "./errors.ts";
import { VALUE_DEPTH_MAX } from "./limits.ts";

export type JsonPlain = null | boolean | number | string | readonly JsonPlain[] | { readonly [k: string]: JsonPlain };

/** True when `s` has no lone surrogate (so UTF-8 encoding is lossless). */
export function isWellFormed(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c >= 0xdc00) return false;
    const d = s.charCodeAt(i + 1); // NaN past the end
    if (!(d >= 0xdc00 && d <= 0xdfff)) return false;
    i++;
  }
  return true;
}

/** Sets an own data property, also for the key `__proto__` (plain assignment would change the
 * prototype instead). */
export function setOwn(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === "__proto__") Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

export function sortedKeys(o: object): string[] {
  return Object.keys(o).sort(compareStrings);
}

function isPlainObject(x: object): boolean {
  const p = Object.getPrototypeOf(x);
  return p === Object.prototype || p === null;
}

type Canon = { v: JsonPlain; w: number };

function canon(x: unknown, ptr: string, depth: number): Canon {
  switch (typeof x) {
    case "number":
      if (!Number.isFinite(x)) throw new JsonShapeError(ptr, `json numbers must be finite, got ${x}`);
      return { v: x + 0, w: 1 };
    case "string":
      if (x.length > STRING_LEN_MAX) throw new JsonShapeError(ptr, `string longer than ${STRING_LEN_MAX}`);
      if (!isWellFormed(x)) throw new JsonShapeError(ptr, "string holds a lone surrogate");
      return { v: x, w: 1 + (x.length >>> 6) };
    case "boolean":
      return { v: x, w: 1 };
    case "object": {
      if (x === null) return { v: null, w: 1 };
      if (depth >= VALUE_DEPTH_MAX) throw new JsonShapeError(ptr, `json nested deeper than ${VALUE_DEPTH_MAX}`);
      if (Array.isArray(x)) {
        if (x.length > COLLECTION_LEN_MAX) throw new JsonShapeError(ptr, `array longer than ${COLLECTION_LEN_MAX}`);
        const out: JsonPlain[] = new Array(x.length);
        let w = 1;
        for (let i = 0; i < x.length; i++) {
          const c = canon(x[i], ptr + "/" + i, depth + 1);
          out[i] = c.v;
          w += c.w;
        }
        return { v: Object.freeze(out), w };
      }
      if (!isPlainObject(x)) throw new JsonShapeError(ptr, "json objects must be plain objects");
      const keys = sortedKeys(x);
      if (keys.length > COLLECTION_LEN_MAX) throw new JsonShapeError(ptr, `object with more than ${COLLECTION_LEN_MAX} keys`);
      const out: Record<string, JsonPlain> = {};
      let w = 1;
      for (const k of keys) {
        const kp = ptr + "/" + pointerSegment(k);
        if (!isWellFormed(k)) throw new JsonShapeError(kp, "object key holds a lone surrogate");
        const c = canon((x as Record<string, unknown>)[k], kp, depth + 1);
        setOwn(out, k, c.v);
        w += c.w + 1 + (k.length >>> 6);
      }
      return { v: Object.freeze(out), w };
    }
    default:
      throw new JsonShapeError(ptr, `not a JSON value: ${typeof x}`);
  }
}

/** Canonical JSON text of an already canonical plain value. */
function writeText(v: JsonPlain, out: string[]): void {
  if (v === null || typeof v !== "object") {
    out.push(JSON.stringify(v));
    return;
  }
  if (Array.isArray(v)) {
    out.push("[");
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out.push(",");
      writeText(v[i]!, out);
    }
    out.push("]");
    return;
  }
  const o = v as { readonly [k: string]: JsonPlain };
  const keys = sortedKeys(o);
  out.push("{");
  for (let i = 0; i < keys.length; i++) {
    if (i > 0) out.push(",");
    out.push(JSON.stringify(keys[i]), ":");
    writeText(o[keys[i]!]!, out);
  }
  out.push("}");
}

export class Json extends Composite {
  private textCache: string | null = null;

  private constructor(
    readonly v: JsonPlain,
    w: number,
  ) {
    super(w);
    // One opaque level for depth purposes: the codecs never recurse into a json value
    // themselves (they use its text or plain form), and `from` bounds its inner nesting.
    this.d = 1;
  }

  /**
   * Validates and canonicalises a plain JSON value (deep copy, frozen). Throws
   * `JsonShapeError` (pointer relative to `pointer`) on non-finite numbers, lone surrogates,
   * non-plain objects, `undefined`, functions, or nesting deeper than VALUE_DEPTH_MAX.
   */
  static from(plain: unknown, pointer = ""): Json {
    if (plain instanceof Json) return plain;
    const c = canon(plain, pointer, 0);
    return new Json(c.v, c.w);
  }

  /** Canonical JSON text (cached). */
  text(): string {
    if (this.textCache === null) {
      const out: string[] = [];
      writeText(this.v, out);
      this.textCache = out.join("");
    }
    return this.textCache;
  }

  pushUnhashed(_stack: Hashable[]): void {}

  computeHash(): void {
    const t = this.text();
    sBegin(0x15);
    // The text is the whole remainder of the input, so it has no length prefix.
    sUtf8(t);
    this.h = sDigest();
    assert(this.h !== null && this.d === 1, "json hash");
  }
}

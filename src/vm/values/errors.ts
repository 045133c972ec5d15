/**
 * Errors raised by the value codecs (STYLE.md §4). Both are expected operating errors about
 * data that came from outside the VM: a request body, an effect result, a damaged payload.
 * Callers map them: `JsonShapeError` → HTTP 422 / `LX-CAST` / `LX-EFFECT-SHAPE`;
 * `ValueCodecError` → a damaged-data error of the journal or snapshot reader.
 */
import { LexumError } from "../../base/errors.ts";

/** A JSON document does not match the expected Lexum type. `pointer` is an RFC 6901 JSON
 * Pointer to the offending place (`/item/qty`; `""` is the whole document). */
export class JsonShapeError extends LexumError {
  override name = "JsonShapeError";
  constructor(
    readonly pointer: string,
    message: string,
  ) {
    super("JSON_SHAPE", message, 1, { pointer });
  }
}

/** A self-describing encoding (tagged JSON or binary) is malformed, or a value cannot be
 * encoded (nested deeper than `VALUE_DEPTH_MAX`). */
export class ValueCodecError extends LexumError {
  override name = "ValueCodecError";
  constructor(message: string, options?: { cause?: unknown }) {
    super("VALUE_CODEC", message, 1, {}, options);
  }
}

/** Escapes one JSON Pointer segment (RFC 6901 §3: `~` → `~0`, `/` → `~1`). */
export function pointerSegment(s: string | number): string {
  const t = String(s);
  if (t.indexOf("~") < 0 && t.indexOf("/") < 0) return t;
  return t.replace(/~/g, "~0").replace(/\//g, "~1");
}

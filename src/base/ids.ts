/**
 * Instance ids (rules.md [46]): 1–256 UTF-8 bytes without control characters. They are
 * percent-encoded wherever they become part of a file name or an idempotency key.
 */
import { INSTANCE_ID_BYTES_MAX } from "./limits.ts";

/** Returns null when the id is valid, else a sentence saying why not. */
export function instanceIdProblem(id: string): string | null {
  if (typeof id !== "string" || id.length === 0) return "an instance id must not be empty";
  const bytes = Buffer.byteLength(id, "utf8");
  if (bytes > INSTANCE_ID_BYTES_MAX) return `an instance id must be at most ${INSTANCE_ID_BYTES_MAX} UTF-8 bytes (this one is ${bytes})`;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    if (c < 0x20 || c === 0x7f || (c >= 0x80 && c <= 0x9f)) return `an instance id must not contain control characters (found U+${c.toString(16).toUpperCase().padStart(4, "0")})`;
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = id.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return "an instance id must be valid Unicode (unpaired surrogate)";
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return "an instance id must be valid Unicode (unpaired surrogate)";
  }
  return null;
}

/** The default idempotency key of an effect intent (rules.md [26]): domain/instance/cycle/index. */
export function defaultIdempotencyKey(domain: string, instance: string, cycle: number, index: number): string {
  return `${encodeURIComponent(domain)}/${encodeURIComponent(instance)}/${cycle}/${index}`;
}

/**
 * SHA-256 helpers (node:crypto). `crypto.hash` is the fast one-shot path for small inputs.
 * Hashes shown to people are `0x` + 64 lower-case hex digits.
 */
import * as crypto from "node:crypto";

export const HASH_BYTES = 32;

export function sha256(data: Uint8Array | string): Uint8Array {
  return crypto.hash("sha256", data, "buffer") as unknown as Uint8Array;
}

export function sha256Hex(data: Uint8Array | string): string {
  return "0x" + (crypto.hash("sha256", data, "hex") as string);
}

export function toHex0x(bytes: Uint8Array): string {
  return "0x" + Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

/** Parses `0x` + 64 hex digits; returns null when malformed. */
export function fromHex0x(s: string): Uint8Array | null {
  if (typeof s !== "string" || !/^0x[0-9a-f]{64}$/.test(s)) return null;
  return new Uint8Array(Buffer.from(s.slice(2), "hex"));
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** SHA-256 over the concatenation of parts, without building the joined buffer first. */
export function sha256Parts(parts: readonly (Uint8Array | string)[]): Uint8Array {
  const h = crypto.createHash("sha256");
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

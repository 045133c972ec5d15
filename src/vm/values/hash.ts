/**
 * Public hashing API over the Merkle machinery in core.ts (layout documented there and in
 * README.md). All functions are pure and deterministic; composites cache their hash, so
 * hashing a state after a small update costs O(changed path), not O(state).
 */
import { assert } from "../../base/assert.ts";
import { HASH_BYTES } from "../../base/hash.ts";
import { ensureHashed, hashBytes, sBegin, sCopy, sDigest, sEnc, sReset, type HashStr, type Value } from "./core.ts";
import type { Rec } from "./record.ts";

/** The 32-byte hash of any value: a composite's Merkle hash, or H(0x30 ‖ enc(v)) for a scalar. */
export function hashValue(v: Value): Uint8Array {
  return hashBytes(hashKeyOf(v));
}

/** The same hash as a 32-character string (one char per byte), cheap to compare and to use
 * as a JS Map/Set key (e.g. the state hashes of a reconcile episode). */
export function hashKeyOf(v: Value): HashStr {
  if (typeof v === "object" && v !== null) return ensureHashed(v);
  sBegin(0x30);
  sEnc(v);
  return sDigest();
}

/** The hash of an instance's state record (what goal oscillation detection and the snapshot's
 * `state_hash` use). */
export function stateHash(rec: Rec): Uint8Array {
  const h = hashBytes(ensureHashed(rec));
  assert(h.length === HASH_BYTES, "state hash length");
  return h;
}

/** enc(v): the canonical bytes of a value (a composite is 0x05 ‖ its hash), for hashing
 * inputs and outputs elsewhere. */
export function encodeCanonical(v: Value): Uint8Array {
  if (typeof v === "object" && v !== null) ensureHashed(v);
  sReset();
  sEnc(v);
  return sCopy();
}

/** Deepest composite nesting of a value (0 for scalars, 1 for a flat record or list, …).
 * Computed with the hash and cached; the runtime traps `LX-LIMIT` past VALUE_DEPTH_MAX. */
export function depthOf(v: Value): number {
  if (typeof v !== "object" || v === null) return 0;
  ensureHashed(v);
  return v.d;
}

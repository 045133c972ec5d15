/**
 * The run-hash chain (runtime.md §2, rules.md [6]):
 *
 *   run_hash(0) = SHA-256("lexum/1" ‖ str(domain) ‖ str(instance))
 *   run_hash(c) = SHA-256(run_hash(c−1) ‖ input digest ‖ outputs digest ‖ state hash)
 *
 * where `str(s)` is uvarint(UTF-8 length) ‖ UTF-8 bytes and every digest is 32 bytes.
 * Digests hash canonical encodings (`encodeCanonical` of values), never JSON text.
 *
 * Input digest: SHA-256 of one of
 *   0x01 ‖ uvarint(mailbox offset) ‖ u64 time ‖ str(transition) ‖ uvarint(n) ‖ enc(arg)…   a message
 *   0x02 ‖ uvarint(intent cycle) ‖ u64 time ‖ str(key) ‖ enc(result)                       an effect result
 *   0x03 ‖ u64 time                                                                       continuing after a slice
 *   0x04 ‖ uvarint(mailbox offset) ‖ u64 time ‖ str(goal) ‖ str(transition)                  a goal reconcile
 * Outputs digest: SHA-256 of
 *   uvarint(#sends) ‖ (str(domain) ‖ str(instance) ‖ str(transition) ‖ uvarint(n) ‖ enc(arg)… ‖ i64 delay or −1)…
 *   ‖ uvarint(#intents) ‖ (str(effect) ‖ u8 kind(0 await, 1 emit) ‖ str(key) ‖ uvarint(n) ‖ enc(arg)…)…
 *   ‖ outcome: 0x00 (segment continues) | 0x01 ‖ enc(reply) | 0x02 ‖ str(code) ‖ str(message)
 *   ‖ goals digest (32 bytes: SHA-256 of the canonical goal bookkeeping, zeros when none)
 * Integers are little-endian; u64/i64 times and delays are two's complement 8 bytes.
 */
import { ByteWriter } from "../base/bytes.ts";
import { sha256 } from "../base/hash.ts";
import { encodeCanonical, type Value } from "../vm/values/index.ts";

export const ZERO32 = new Uint8Array(32);

/** One scratch writer: digests are hashed immediately, so its bytes never escape. */
const W = new ByteWriter(512);

function str(w: ByteWriter, s: string): void {
  w.str(s);
}

function values(w: ByteWriter, vs: readonly Value[]): void {
  w.uvar(vs.length);
  for (const v of vs) w.bytes(encodeCanonical(v));
}

function i64(w: ByteWriter, v: number): void {
  // Times are ≥ 0 in practice; −1 marks "no delay".
  if (v < 0) {
    w.u32(0xffffffff);
    w.u32(0xffffffff);
    return;
  }
  w.u64(v);
}

export function initialRunHash(domain: string, instance: string): Uint8Array {
  const w = new ByteWriter(64);
  w.bytes(new TextEncoder().encode("lexum/1"));
  str(w, domain);
  str(w, instance);
  return sha256(w.view_());
}

export type InputForDigest =
  | { readonly k: "message"; readonly offset: number; readonly time: number; readonly transition: string; readonly args: readonly Value[] }
  | { readonly k: "result"; readonly intentCycle: number; readonly time: number; readonly key: string; readonly result: Value }
  | { readonly k: "continue"; readonly time: number }
  | { readonly k: "reconcile"; readonly offset: number; readonly time: number; readonly goal: string; readonly transition: string };

export function inputDigest(i: InputForDigest): Uint8Array {
  const w = W.reset();
  switch (i.k) {
    case "message":
      w.u8(1).uvar(i.offset);
      i64(w, i.time);
      str(w, i.transition);
      values(w, i.args);
      break;
    case "result":
      w.u8(2).uvar(i.intentCycle);
      i64(w, i.time);
      str(w, i.key);
      w.bytes(encodeCanonical(i.result));
      break;
    case "continue":
      w.u8(3);
      i64(w, i.time);
      break;
    case "reconcile":
      w.u8(4).uvar(i.offset);
      i64(w, i.time);
      str(w, i.goal);
      str(w, i.transition);
      break;
  }
  return sha256(w.view_());
}

export type OutputsForDigest = {
  readonly sends: readonly { domain: string; instance: string; transition: string; args: readonly Value[]; delayMs: number | null }[];
  readonly intents: readonly { effect: string; kind: "await" | "emit"; key: string; args: readonly Value[] }[];
  readonly outcome: { readonly k: "continue" } | { readonly k: "reply"; readonly value: Value } | { readonly k: "error"; readonly code: string; readonly message: string };
  readonly goalsDigest: Uint8Array;
};

/** The digest of "nothing": no sends, no intents, reply none, no goals — the common case. */
let emptyDigest: Uint8Array | null = null;

export function outputsDigest(o: OutputsForDigest): Uint8Array {
  if (o.sends.length === 0 && o.intents.length === 0 && o.outcome.k === "reply" && o.outcome.value === null && o.goalsDigest === ZERO32) {
    if (emptyDigest === null) emptyDigest = outputsDigestOf(o);
    return emptyDigest;
  }
  return outputsDigestOf(o);
}

function outputsDigestOf(o: OutputsForDigest): Uint8Array {
  const w = W.reset();
  w.uvar(o.sends.length);
  for (const s of o.sends) {
    str(w, s.domain);
    str(w, s.instance);
    str(w, s.transition);
    values(w, s.args);
    i64(w, s.delayMs === null ? -1 : Math.max(0, s.delayMs));
  }
  w.uvar(o.intents.length);
  for (const x of o.intents) {
    str(w, x.effect);
    w.u8(x.kind === "await" ? 0 : 1);
    str(w, x.key);
    values(w, x.args);
  }
  switch (o.outcome.k) {
    case "continue":
      w.u8(0);
      break;
    case "reply":
      w.u8(1).bytes(encodeCanonical(o.outcome.value));
      break;
    case "error":
      w.u8(2);
      str(w, o.outcome.code);
      str(w, o.outcome.message);
      break;
  }
  w.bytes(o.goalsDigest);
  return sha256(w.view_());
}

/** Scratch for the 128-byte run-hash input (hashed at once, so it never escapes). */
const RUN_BUF = new Uint8Array(128);

export function nextRunHash(prev: Uint8Array, input: Uint8Array, outputs: Uint8Array, state: Uint8Array): Uint8Array {
  const buf = RUN_BUF;
  buf.set(prev, 0);
  buf.set(input, 32);
  buf.set(outputs, 64);
  buf.set(state, 96);
  return sha256(buf);
}

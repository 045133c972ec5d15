/**
 * The `.snapshot.json` file format, version 1 (docs/formats.md "Snapshots" §1). Pure functions:
 * encode the header, build the trailer, verify and decode a file's bytes.
 *
 * Byte layout (UTF-8, one top-level field per line, `⏎` = one 0x0A byte):
 *
 *   {"domain":<string>,⏎
 *   "instance":<string>,⏎
 *   "cycle":<int>,⏎
 *   "run_hash":"0x<64 hex>",⏎
 *   "mailbox_offset":<int>,⏎
 *   "format":1,⏎
 *   "lsn":<int>,⏎
 *   "program_hash":"0x<64 hex>",⏎
 *   "state_hash":"0x<64 hex>",⏎
 *   "goals":<json>,⏎
 *   "suspended":<json>,⏎
 *   "timers":<json>,⏎
 *   "pending_effects":<json>,⏎
 *   "state":<the state's JSON text, streamed>,"file_hash":"0x<64 hex>"}⏎
 *
 * - `file_hash` = SHA-256 of every byte before `,"file_hash"` (the whole file minus the
 *   fixed-size trailer), so a flipped bit anywhere — header, state or the hash itself — is
 *   detected.
 * - Header values are JSON.stringify output, which never contains a raw 0x0A byte; so the
 *   first `⏎"state":` in the file ends the header. `readHeader` relies on this to index
 *   snapshots without reading the state.
 * - `state` comes last because it is streamed; rules.md [34] ("field order does not matter")
 *   overrides runtime.md §3's "first five fields" — the first five here are domain,
 *   instance, cycle, run_hash, mailbox_offset.
 */
import { assert } from "../base/assert.ts";
import { fromHex0x } from "../base/hash.ts";
import { isValidDomainName, isValidInstanceId } from "./naming.ts";

export const SNAPSHOT_FORMAT = 1 as const;

/** Everything in a snapshot except the state. Field names are the file's JSON keys. */
export interface SnapshotHeader {
  readonly domain: string;
  readonly instance: string;
  /** Committed cycles of the instance covered by this snapshot (rules.md [9]). */
  readonly cycle: number;
  readonly run_hash: string;
  /** Last consumed mailbox offset (rules.md [9]); 0 when none. */
  readonly mailbox_offset: number;
  readonly format: typeof SNAPSHOT_FORMAT;
  /** Recovery replays the instance's WAL records with an LSN greater than this (rules.md [4]). */
  readonly lsn: number;
  readonly program_hash: string;
  readonly state_hash: string;
  /** Plain JSON owned by the runtime; the store checks only that it is plain JSON. */
  readonly goals: unknown;
  readonly suspended: unknown;
  readonly timers: unknown;
  readonly pending_effects: unknown;
}

/** A fully read and verified snapshot. */
export interface SnapshotFile extends SnapshotHeader {
  /** The state as plain JSON (rules.md [10]); always a JSON object. */
  readonly state: Record<string, unknown>;
  readonly path: string;
  /** File size in bytes. */
  readonly bytes: number;
}

/** A header read with `readHeader` (not hash-verified; see store.ts). */
export interface SnapshotHeaderAt extends SnapshotHeader {
  readonly path: string;
}

/** The header keys, in file order; `state` and `file_hash` follow. */
export const HEADER_KEYS = [
  "domain",
  "instance",
  "cycle",
  "run_hash",
  "mailbox_offset",
  "format",
  "lsn",
  "program_hash",
  "state_hash",
  "goals",
  "suspended",
  "timers",
  "pending_effects",
] as const satisfies readonly (keyof SnapshotHeader)[];

export const FILE_KEYS = [...HEADER_KEYS, "state", "file_hash"] as const;

const textEncoder = new TextEncoder();

/** `⏎"state":` — the end of the header. The header text before it ends with `,`. */
export const STATE_MARKER = textEncoder.encode('\n"state":');
const TRAILER_PREFIX = ',"file_hash":"';
const TRAILER_END = '"}\n';
/** `,"file_hash":"0x` + 64 hex + `"}⏎` */
export const TRAILER_BYTES = TRAILER_PREFIX.length + 66 + TRAILER_END.length;

export function isHash0x(s: unknown): s is string {
  return typeof s === "string" && fromHex0x(s) !== null;
}

function isNonNegInt(v: unknown): v is number {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
}

/**
 * Null when `v` is plain JSON that survives JSON.stringify/JSON.parse unchanged (no
 * undefined, NaN/Infinity, functions, class instances, toJSON, cycles); else the path of the
 * first offending part.
 */
export function plainJsonProblem(v: unknown, path = "", seen: Set<object> = new Set()): string | null {
  switch (typeof v) {
    case "string":
    case "boolean":
      return null;
    case "number":
      return Number.isFinite(v) ? null : `${path || "/"}: non-finite number`;
    case "object": {
      if (v === null) return null;
      if (seen.has(v)) return `${path || "/"}: cycle`;
      seen.add(v);
      try {
        if (Array.isArray(v)) {
          for (let i = 0; i < v.length; i++) {
            if (!(i in v)) return `${path}/${i}: hole in array`;
            const p = plainJsonProblem(v[i], `${path}/${i}`, seen);
            if (p !== null) return p;
          }
          return null;
        }
        const proto = Object.getPrototypeOf(v);
        if (proto !== Object.prototype && proto !== null) return `${path || "/"}: not a plain object`;
        if (Object.getOwnPropertySymbols(v).length > 0) return `${path || "/"}: symbol keys`;
        for (const k of Object.keys(v)) {
          const p = plainJsonProblem((v as Record<string, unknown>)[k], `${path}/${k}`, seen);
          if (p !== null) return p;
        }
        return null;
      } finally {
        seen.delete(v);
      }
    }
    default:
      return `${path || "/"}: ${typeof v} is not JSON`;
  }
}

/** Null when `h` is a well-formed header; else the first problem, in words. */
export function headerProblem(h: Record<string, unknown>): string | null {
  if (typeof h.domain !== "string" || !isValidDomainName(h.domain)) return "domain is not a valid domain name";
  if (typeof h.instance !== "string" || !isValidInstanceId(h.instance)) return "instance is not a valid instance id";
  if (!isNonNegInt(h.cycle)) return "cycle is not a non-negative int";
  if (!isHash0x(h.run_hash)) return "run_hash is not 0x + 64 hex digits";
  if (!isNonNegInt(h.mailbox_offset)) return "mailbox_offset is not a non-negative int";
  if (h.format !== SNAPSHOT_FORMAT) return `unsupported format ${JSON.stringify(h.format)} (this build reads ${SNAPSHOT_FORMAT})`;
  if (!isNonNegInt(h.lsn)) return "lsn is not a non-negative int";
  if (!isHash0x(h.program_hash)) return "program_hash is not 0x + 64 hex digits";
  if (!isHash0x(h.state_hash)) return "state_hash is not 0x + 64 hex digits";
  for (const k of ["goals", "suspended", "timers", "pending_effects"] as const) {
    if (!(k in h) || h[k] === undefined) return `${k} is missing`;
  }
  return null;
}

/** Null when `keys` are exactly `expected` in that order; else what is wrong. */
function keyOrderProblem(keys: readonly string[], expected: readonly string[]): string | null {
  for (let i = 0; i < Math.max(keys.length, expected.length); i++) {
    if (keys[i] === expected[i]) continue;
    if (i >= keys.length) return `missing field ${expected[i]}`;
    if (!expected.includes(keys[i])) return `unknown field ${JSON.stringify(keys[i])}`;
    if (i >= expected.length || keys.indexOf(expected[i]) < 0) return `missing field ${expected[i]}`;
    return `field ${keys[i]} out of order (expected ${expected[i]})`;
  }
  return null;
}

/**
 * The header's bytes: everything up to and including `"state":`. Asserts the header is
 * well-formed plain JSON (the writer's side of the boundary check).
 */
export function encodeHeader(h: SnapshotHeader): Uint8Array {
  const problem = headerProblem(h as unknown as Record<string, unknown>);
  assert(problem === null, () => `bad snapshot header for ${h.domain}/${h.instance}: ${problem}`);
  for (const k of ["goals", "suspended", "timers", "pending_effects"] as const) {
    const p = plainJsonProblem(h[k]);
    assert(p === null, () => `snapshot header field ${k} is not plain JSON (${p})`);
  }
  const lines: string[] = [];
  for (const k of HEADER_KEYS) {
    const v = JSON.stringify(h[k]);
    assert(typeof v === "string" && !v.includes("\n"), "JSON.stringify output has no raw newline");
    lines.push(`${JSON.stringify(k)}:${v}`);
  }
  const text = "{" + lines.join(",\n") + ',\n"state":';
  const bytes = textEncoder.encode(text);
  assert(indexOfBytes(bytes, STATE_MARKER, 0) === bytes.length - STATE_MARKER.length, "the state marker ends the header");
  return bytes;
}

/** The trailer: `,"file_hash":"0x…"}⏎`. */
export function encodeTrailer(fileHash0x: string): Uint8Array {
  assert(isHash0x(fileHash0x), "file_hash is 0x + 64 hex");
  const t = textEncoder.encode(TRAILER_PREFIX + fileHash0x + TRAILER_END);
  assert(t.length === TRAILER_BYTES, "the trailer has a fixed size");
  return t;
}

/** The file_hash stored in a trailer, or null when `tail` is not a well-formed trailer. */
export function parseTrailer(tail: Uint8Array): string | null {
  if (tail.length !== TRAILER_BYTES) return null;
  const s = Buffer.from(tail.buffer, tail.byteOffset, tail.byteLength).toString("latin1");
  if (!s.startsWith(TRAILER_PREFIX) || !s.endsWith(TRAILER_END)) return null;
  const h = s.slice(TRAILER_PREFIX.length, TRAILER_PREFIX.length + 66);
  return isHash0x(h) ? h : null;
}

/** First index of `needle` in `hay` at or after `from`; -1 when absent. */
export function indexOfBytes(hay: Uint8Array, needle: Uint8Array, from: number): number {
  return Buffer.from(hay.buffer, hay.byteOffset, hay.byteLength).indexOf(
    Buffer.from(needle.buffer, needle.byteOffset, needle.byteLength),
    from,
  );
}

const strictDecoder = new TextDecoder("utf-8", { fatal: true });

/**
 * Parses a header prefix (the bytes before `⏎"state":`, which end with `,`). Returns the
 * header or a damage reason. Checks field order, types and formats.
 */
export function decodeHeaderPrefix(prefix: Uint8Array): SnapshotHeader | string {
  let text: string;
  try {
    text = strictDecoder.decode(prefix);
  } catch {
    return "header is not valid UTF-8";
  }
  if (!text.startsWith("{") || !text.endsWith(",")) return "header is malformed";
  let obj: unknown;
  try {
    obj = JSON.parse(text.slice(0, -1) + "}");
  } catch (e) {
    return `header is not valid JSON (${(e as Error).message})`;
  }
  if (typeof obj !== "object" || obj === null || Array.isArray(obj)) return "header is not a JSON object";
  const order = keyOrderProblem(Object.keys(obj), HEADER_KEYS);
  if (order !== null) return order;
  const problem = headerProblem(obj as Record<string, unknown>);
  if (problem !== null) return problem;
  return obj as SnapshotHeader;
}

/**
 * Verifies a whole file (trailer, file_hash, UTF-8, JSON, field order, field types) and
 * decodes it. Returns the decoded parts or a damage reason; never throws on bad bytes.
 * `computeHash` is SHA-256 → `0x…` of the given bytes (injected to keep this file pure).
 */
export function decodeSnapshotBytes(
  bytes: Uint8Array,
  computeHash: (b: Uint8Array) => string,
): { header: SnapshotHeader; state: Record<string, unknown> } | string {
  if (bytes.length < TRAILER_BYTES + 2) return `truncated: the file has only ${bytes.length} bytes`;
  const stored = parseTrailer(bytes.subarray(bytes.length - TRAILER_BYTES));
  if (stored === null) return "missing or malformed file_hash trailer (truncated or damaged at the end)";
  const body = bytes.subarray(0, bytes.length - TRAILER_BYTES);
  const computed = computeHash(body);
  if (computed !== stored) return `file_hash mismatch (stored ${stored}, computed ${computed})`;
  let text: string;
  try {
    text = strictDecoder.decode(bytes);
  } catch {
    return "not valid UTF-8";
  }
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (e) {
    return `not valid JSON (${(e as Error).message})`;
  }
  if (typeof obj !== "object" || obj === null || Array.isArray(obj)) return "not a JSON object";
  const order = keyOrderProblem(Object.keys(obj), FILE_KEYS);
  if (order !== null) return order;
  const rec = obj as Record<string, unknown>;
  const problem = headerProblem(rec);
  if (problem !== null) return problem;
  const state = rec.state;
  if (typeof state !== "object" || state === null || Array.isArray(state)) return "state is not a JSON object";
  // The header prefix must end exactly at the marker, so readHeader sees the same header.
  const marker = indexOfBytes(bytes, STATE_MARKER, 0);
  if (marker < 0) return "no state marker";
  const prefix = decodeHeaderPrefix(bytes.subarray(0, marker));
  if (typeof prefix === "string") return `header prefix: ${prefix}`;
  const { state: _s, file_hash: _f, ...header } = rec;
  return { header: header as unknown as SnapshotHeader, state: state as Record<string, unknown> };
}

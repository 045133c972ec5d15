/**
 * Where snapshot files live and what they are called (docs/formats.md "Snapshots" §2).
 *
 *   <dataDir>/snapshots/<domain dir>/<instance dir…>/<cycle:20>-<lsn:20>.snapshot.json
 *
 * - The domain dir is the domain's identifier (`[A-Za-z_][A-Za-z0-9_]*`), except that a
 *   domain literally named `damaged` is written `%64amaged` so it cannot collide with the
 *   quarantine folder `snapshots/damaged/`. (`%` never occurs in an identifier.)
 * - The instance id (rules.md [46]: 1–256 UTF-8 bytes, no control characters) is
 *   percent-encoded: every byte outside `[A-Za-z0-9_.-]` becomes `%XX` (upper-case hex), and
 *   so does a `.` that starts a path component (no `.`, `..` or hidden names).
 * - An encoded id longer than `PATH_COMPONENT_CHARS_MAX` is split over nested directories;
 *   every component but the last ends with `+` (a character the encoding never emits), so
 *   `a…a+/b…b` reads as one id. Without this a 256-byte id (up to 768 encoded characters)
 *   would exceed the 255-byte NAME_MAX of common file systems.
 * - Cycle and LSN are 20-digit zero-padded decimals, so names sort like numbers.
 *
 * Decoding is strict: a name is accepted only when re-encoding its decoded value gives back
 * exactly the same path components; anything else is not a snapshot and is ignored (never
 * deleted). Pure functions: no disk, no clock.
 */
import { assert } from "../base/assert.ts";
import { instanceIdProblem } from "../base/ids.ts";

/** Longest path component we create (characters = bytes, the encoding is ASCII). Common file
 * systems allow 255 bytes; 200 leaves room for tools that append suffixes (`.tmp`, `~`). */
export const PATH_COMPONENT_CHARS_MAX = 200;

/** Longest domain name we can place in a path without splitting it. Identifiers have no length
 * limit in the language; a longer domain is refused by an assertion (the compiler should cap
 * identifier length well below this). */
export const DOMAIN_NAME_CHARS_MAX = PATH_COMPONENT_CHARS_MAX;

/** Folder under `snapshots/` where `quarantine()` sets damaged files aside. */
export const DAMAGED_DIR = "damaged";

/** Marks a path component that continues on the next level (see the header comment). */
const CONTINUATION = "+";

export const SNAPSHOT_SUFFIX = ".snapshot.json";
export const TEMP_SUFFIX = ".tmp";
const DIGITS = 20;
const FILE_NAME_RE = /^([0-9]{20})-([0-9]{20})\.snapshot\.json$/;
const DOMAIN_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

const textEncoder = new TextEncoder();
const strictDecoder = new TextDecoder("utf-8", { fatal: true });

export function isValidDomainName(domain: string): boolean {
  return typeof domain === "string" && DOMAIN_RE.test(domain) && domain.length <= DOMAIN_NAME_CHARS_MAX;
}

/** rules.md [46]: 1–256 UTF-8 bytes, no control characters, valid Unicode (base/ids.ts decides). */
export function isValidInstanceId(id: string): boolean {
  return typeof id === "string" && instanceIdProblem(id) === null;
}

function isUnreservedByte(b: number): boolean {
  return (
    (b >= 0x30 && b <= 0x39) || // 0-9
    (b >= 0x41 && b <= 0x5a) || // A-Z
    (b >= 0x61 && b <= 0x7a) || // a-z
    b === 0x5f || // _
    b === 0x2e || // .
    b === 0x2d // -
  );
}

function pct(b: number): string {
  return "%" + b.toString(16).toUpperCase().padStart(2, "0");
}

/** The domain's directory name. */
export function encodeDomainDir(domain: string): string {
  assert(isValidDomainName(domain), () => `invalid domain name for a snapshot path: ${JSON.stringify(domain)}`);
  const dir = domain === DAMAGED_DIR ? pct(domain.charCodeAt(0)) + domain.slice(1) : domain;
  assert(dir !== DAMAGED_DIR && dir.length <= PATH_COMPONENT_CHARS_MAX, "domain dir is never the quarantine dir");
  return dir;
}

/** Inverse of `encodeDomainDir`; null when `dir` is not a canonical domain directory name. */
export function decodeDomainDir(dir: string): string | null {
  const domain = dir === "%64amaged" ? DAMAGED_DIR : dir;
  if (!isValidDomainName(domain)) return null;
  return encodeDomainDir(domain) === dir ? domain : null;
}

/**
 * The instance id's directory path components (usually one). Each component is at most
 * PATH_COMPONENT_CHARS_MAX characters, never starts with `.`, and all but the last end in `+`.
 */
export function encodeInstanceDirs(instance: string): string[] {
  assert(isValidInstanceId(instance), () => `invalid instance id for a snapshot path: ${JSON.stringify(instance)}`);
  const bytes = textEncoder.encode(instance);
  // Each byte is a token of 1 or 3 characters; a `.` costs 3 when it starts a component.
  const plainLen = (i: number): number => (isUnreservedByte(bytes[i]) ? 1 : 3);
  const tokenAt = (i: number, first: boolean): string =>
    isUnreservedByte(bytes[i]) && !(first && bytes[i] === 0x2e) ? String.fromCharCode(bytes[i]) : pct(bytes[i]);
  // suffixLen[i] = encoded length of bytes[i..] when none of them starts a component.
  const suffixLen = new Array<number>(bytes.length + 1).fill(0);
  for (let i = bytes.length - 1; i >= 0; i--) suffixLen[i] = suffixLen[i + 1] + plainLen(i);

  const parts: string[] = [];
  let i = 0;
  while (i < bytes.length) {
    const firstTok = tokenAt(i, true);
    const restLen = firstTok.length + suffixLen[i + 1];
    if (restLen <= PATH_COMPONENT_CHARS_MAX) {
      let last = firstTok;
      for (let j = i + 1; j < bytes.length; j++) last += tokenAt(j, false);
      parts.push(last);
      break;
    }
    // Fill a continuation component up to MAX - 1 characters, then the `+`.
    let part = firstTok;
    i++;
    while (i < bytes.length) {
      const tok = tokenAt(i, false);
      if (part.length + tok.length > PATH_COMPONENT_CHARS_MAX - 1) break;
      part += tok;
      i++;
    }
    parts.push(part + CONTINUATION);
  }
  assert(parts.length >= 1, "an instance id has at least one path component");
  for (const p of parts) {
    assert(p.length <= PATH_COMPONENT_CHARS_MAX && p[0] !== ".", () => `bad path component ${p}`);
  }
  return parts;
}

/** True when a directory name is a continuation component (the id goes on one level down). */
export function isContinuationDir(name: string): boolean {
  return name.endsWith(CONTINUATION);
}

/**
 * Inverse of `encodeInstanceDirs`: null unless `parts` is exactly the canonical encoding of a
 * valid instance id.
 */
export function decodeInstanceDirs(parts: readonly string[]): string | null {
  if (parts.length === 0) return null;
  let text = "";
  for (let k = 0; k < parts.length; k++) {
    const p = parts[k];
    const isLast = k === parts.length - 1;
    if (isLast === isContinuationDir(p)) return null;
    text += isLast ? p : p.slice(0, -1);
  }
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x25) {
      const hex = text.slice(i + 1, i + 3);
      if (!/^[0-9A-F]{2}$/.test(hex)) return null;
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (c < 0x80 && isUnreservedByte(c)) {
      bytes.push(c);
    } else {
      return null;
    }
  }
  let id: string;
  try {
    id = strictDecoder.decode(new Uint8Array(bytes));
  } catch {
    return null;
  }
  if (!isValidInstanceId(id)) return null;
  const again = encodeInstanceDirs(id);
  if (again.length !== parts.length || again.some((p, k) => p !== parts[k])) return null;
  return id;
}

/** `<cycle:20>-<lsn:20>.snapshot.json` */
export function snapshotFileName(cycle: number, lsn: number): string {
  assert(Number.isSafeInteger(cycle) && cycle >= 0, () => `snapshot cycle must be a non-negative int, got ${cycle}`);
  assert(Number.isSafeInteger(lsn) && lsn >= 0, () => `snapshot lsn must be a non-negative int, got ${lsn}`);
  const name = `${String(cycle).padStart(DIGITS, "0")}-${String(lsn).padStart(DIGITS, "0")}${SNAPSHOT_SUFFIX}`;
  assert(FILE_NAME_RE.test(name), "snapshot file names match their own pattern");
  return name;
}

/** Parses a snapshot file name; null for anything else (temp files, strays, out-of-range numbers). */
export function parseSnapshotFileName(name: string): { cycle: number; lsn: number } | null {
  const m = FILE_NAME_RE.exec(name);
  if (m === null) return null;
  const cycle = Number(m[1]);
  const lsn = Number(m[2]);
  if (!Number.isSafeInteger(cycle) || !Number.isSafeInteger(lsn)) return null;
  return { cycle, lsn };
}

/** The temp name a snapshot is written under before its rename. */
export function tempFileName(finalName: string): string {
  assert(parseSnapshotFileName(finalName) !== null, () => `not a snapshot file name: ${finalName}`);
  return finalName + TEMP_SUFFIX;
}

/** True for `<valid snapshot name>.tmp`: the only files `sweepTemps()` removes. */
export function isTempFileName(name: string): boolean {
  return name.endsWith(TEMP_SUFFIX) && parseSnapshotFileName(name.slice(0, -TEMP_SUFFIX.length)) !== null;
}

/** Joins path parts with `/` (the Disk interface uses POSIX paths). */
export function joinPath(...parts: string[]): string {
  assert(parts.length > 0 && parts.every((p) => p.length > 0), "path parts are non-empty");
  return parts.join("/").replace(/\/{2,}/g, "/");
}

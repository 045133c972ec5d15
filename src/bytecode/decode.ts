/**
 * `.lxm` bytes → Module. Layout: `format.ts` and `docs/formats.md "Module (.lxm)"`.
 *
 * Failure semantics: any malformed input throws `ModuleFormatError` naming the section and
 * the byte offset; nothing else escapes. The decoder never reads past a section's frame,
 * never allocates more than a small multiple of the input size (every count is checked
 * against the bytes left before anything is allocated for it) and runs in time linear in
 * the input. It checks structure only — indices, code and metadata are `verifyModule`'s job —
 * and, last, that the header's program hash matches the decoded contents.
 */
import { assert } from "../base/assert.ts";
import { ByteRangeError, ByteReader } from "../base/bytes.ts";
import { toHex0x } from "../base/hash.ts";
import { FN_CODE_WORDS_MAX, MODULE_BYTES_MAX, MODULE_TABLE_MAX } from "../base/limits.ts";
import { computeProgramHash } from "./encode.ts";
import { ModuleFormatError } from "./errors.ts";
import {
  CONST_TAG,
  FN_KINDS,
  HEADER_BYTES,
  HEADER_HASH_OFFSET,
  REQUIRED_SECTIONS,
  SECTION,
  SECTION_FRAME_BYTES,
  SECTION_NAMES,
  TYPE_KINDS,
  utf8Strict,
  type SectionName,
} from "./format.ts";
import {
  MODULE_FORMAT_VERSION,
  MODULE_MAGIC,
  type ConstDesc,
  type DebugInfo,
  type DomainDesc,
  type EffectDesc,
  type FieldDesc,
  type FnDebug,
  type FnDesc,
  type GoalDesc,
  type InvariantDesc,
  type Module,
  type Priority,
  type TransitionDesc,
  type TypeDesc,
} from "./module.ts";

const INT32_MAX = 0x7fffffff;

/** A bounded reader over one section that reports problems as `ModuleFormatError`. */
class SectionReader {
  private readonly r: ByteReader;

  constructor(
    bytes: Uint8Array,
    readonly section: SectionName,
    start: number,
    readonly end: number,
  ) {
    this.r = new ByteReader(bytes, start, end);
  }

  get pos(): number {
    return this.r.pos;
  }

  fail(reason: string, at = this.r.pos): never {
    throw new ModuleFormatError(reason, this.section, at);
  }

  /** Runs a primitive read, turning a bounds error into a format error at the read's start. */
  private read<T>(what: string, f: () => T): T {
    const at = this.r.pos;
    try {
      return f();
    } catch (e) {
      if (e instanceof ByteRangeError) this.fail(`${what}: ${e.message}`, at);
      throw e;
    }
  }

  u8(what: string): number {
    return this.read(what, () => this.r.u8());
  }
  i32(what: string): number {
    return this.read(what, () => this.r.i32());
  }
  f64(what: string): number {
    return this.read(what, () => this.r.f64());
  }
  uvar(what: string): number {
    return this.read(what, () => this.r.uvar());
  }
  /** A uvar that must fit in int32 (indices, counts, debug positions). */
  u31(what: string): number {
    const at = this.r.pos;
    const v = this.uvar(what);
    if (v > INT32_MAX) this.fail(`${what} ${v} does not fit in 31 bits`, at);
    return v;
  }
  /**
   * An element count: at most `max`, and at most the bytes left divided by the smallest
   * encoding of one element, so hostile counts are refused before anything is allocated.
   */
  count(what: string, max: number, minElemBytes = 1): number {
    const at = this.r.pos;
    const n = this.uvar(`${what} count`);
    if (n > max) this.fail(`${what} count ${n} is over the limit ${max}`, at);
    if (n * minElemBytes > this.r.remaining) {
      this.fail(`${what} count ${n} needs at least ${n * minElemBytes} bytes, only ${this.r.remaining} left`, at);
    }
    return n;
  }
  str(what: string): string {
    const at = this.r.pos;
    const len = this.uvar(`${what} length`);
    if (len > this.r.remaining) this.fail(`${what} length ${len} runs past the section end (${this.r.remaining} bytes left)`, at);
    const b = this.read(what, () => this.r.bytes(len));
    try {
      return utf8Strict.decode(b);
    } catch {
      return this.fail(`${what} is not valid UTF-8`, at);
    }
  }
  priority(what: string): Priority {
    const at = this.r.pos;
    const p = this.u8(what);
    if (p > 4) this.fail(`${what} ${p} is not a priority (0..4)`, at);
    return p as Priority;
  }
  /** The section must be consumed exactly. */
  done(): void {
    if (this.r.pos !== this.end) this.fail(`${this.end - this.r.pos} unexpected bytes at the end of the section`);
  }
}

function readFields(r: SectionReader, what: string): FieldDesc[] {
  // A field is at least 2 bytes: an empty name (1) and a type index (1).
  const n = r.count(what, MODULE_TABLE_MAX, 2);
  const out: FieldDesc[] = [];
  for (let i = 0; i < n; i++) {
    const name = r.str(`${what} ${i} name`);
    const type = r.u31(`${what} ${i} type`);
    out.push({ name, type });
  }
  return out;
}

function readStrings(r: SectionReader, what: string): string[] {
  const n = r.count(what, MODULE_TABLE_MAX, 1);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(r.str(`${what} ${i}`));
  return out;
}

function readConsts(r: SectionReader): ConstDesc[] {
  const n = r.count("constant", MODULE_TABLE_MAX, 2);
  const out: ConstDesc[] = [];
  for (let i = 0; i < n; i++) {
    const at = r.pos;
    const tag = r.u8(`constant ${i} tag`);
    switch (tag) {
      case CONST_TAG.intNonNeg: {
        const v = r.uvar(`constant ${i}`);
        out.push({ k: "int", v });
        break;
      }
      case CONST_TAG.intNeg: {
        const v = r.uvar(`constant ${i}`);
        // Zero is always written with the non-negative tag: "-0" has no canonical meaning.
        if (v === 0) r.fail(`constant ${i} is a negative zero int`, at);
        out.push({ k: "int", v: -v });
        break;
      }
      case CONST_TAG.float:
        out.push({ k: "float", v: r.f64(`constant ${i}`) });
        break;
      case CONST_TAG.string:
        out.push({ k: "string", v: r.str(`constant ${i}`) });
        break;
      default:
        r.fail(`constant ${i} has unknown tag ${tag}`, at);
    }
  }
  return out;
}

function readTypes(r: SectionReader): TypeDesc[] {
  const n = r.count("type", MODULE_TABLE_MAX, 1);
  const out: TypeDesc[] = [];
  for (let i = 0; i < n; i++) {
    const at = r.pos;
    const code = r.u8(`type ${i} kind`);
    const k = TYPE_KINDS[code];
    if (k === undefined) r.fail(`type ${i} has unknown kind ${code}`, at);
    switch (k) {
      case "int":
      case "float":
      case "bool":
      case "string":
      case "json":
      case "none":
        out.push({ k });
        break;
      case "list":
      case "set":
        out.push({ k, elem: r.u31(`type ${i} element type`) });
        break;
      case "opt":
        out.push({ k, inner: r.u31(`type ${i} inner type`) });
        break;
      case "result":
        out.push({ k, ok: r.u31(`type ${i} ok type`) });
        break;
      case "map": {
        const key = r.u31(`type ${i} key type`);
        const val = r.u31(`type ${i} value type`);
        out.push({ k, key, val });
        break;
      }
      case "record": {
        const name = r.str(`type ${i} name`);
        out.push({ k, name, fields: readFields(r, `type ${i} field`) });
        break;
      }
      case "enum": {
        const name = r.str(`type ${i} name`);
        // A variant is at least 2 bytes: an empty name and a zero field count.
        const nv = r.count(`type ${i} variant`, MODULE_TABLE_MAX, 2);
        const variants: { name: string; fields: FieldDesc[] }[] = [];
        for (let j = 0; j < nv; j++) {
          const vname = r.str(`type ${i} variant ${j} name`);
          variants.push({ name: vname, fields: readFields(r, `type ${i} variant ${j} field`) });
        }
        out.push({ k, name, variants });
        break;
      }
    }
  }
  return out;
}

function readEffects(r: SectionReader): EffectDesc[] {
  // name, params, result, capabilities, retries, backoff min/max, timeout: 8 bytes at least.
  const n = r.count("effect", MODULE_TABLE_MAX, 8);
  const out: EffectDesc[] = [];
  for (let i = 0; i < n; i++) {
    const name = r.str(`effect ${i} name`);
    const params = readFields(r, `effect ${i} parameter`);
    const result = r.u31(`effect ${i} result type`);
    const capabilities = readStrings(r, `effect ${i} capability`);
    const retries = r.uvar(`effect ${i} retries`);
    const backoffMinMs = r.uvar(`effect ${i} backoffMinMs`);
    const backoffMaxMs = r.uvar(`effect ${i} backoffMaxMs`);
    const timeoutMs = r.uvar(`effect ${i} timeoutMs`);
    out.push({ name, params, result, capabilities, retries, backoffMinMs, backoffMaxMs, timeoutMs });
  }
  return out;
}

function readFns(r: SectionReader): FnDesc[] {
  // name, kind, params, locals, maxStack, word count: 6 bytes at least.
  const n = r.count("function", MODULE_TABLE_MAX, 6);
  const out: FnDesc[] = [];
  for (let i = 0; i < n; i++) {
    const name = r.str(`function ${i} name`);
    const at = r.pos;
    const kindCode = r.u8(`function ${i} kind`);
    const kind = FN_KINDS[kindCode];
    if (kind === undefined) r.fail(`function ${i} (${name}) has unknown kind ${kindCode}`, at);
    const params = r.u31(`function ${i} params`);
    const locals = r.u31(`function ${i} locals`);
    const maxStack = r.u31(`function ${i} maxStack`);
    const words = r.count(`function ${i} (${name}) code word`, FN_CODE_WORDS_MAX, 4);
    const code = new Int32Array(words);
    for (let j = 0; j < words; j++) code[j] = r.i32(`function ${i} code word ${j}`);
    out.push({ name, kind, params, locals, maxStack, code });
  }
  return out;
}

function readDomains(r: SectionReader): DomainDesc[] {
  // name, priority, capabilities, state, init, transitions, goals, invariants: 8 bytes at least.
  const n = r.count("domain", MODULE_TABLE_MAX, 8);
  const out: DomainDesc[] = [];
  for (let i = 0; i < n; i++) {
    const name = r.str(`domain ${i} name`);
    const priority = r.priority(`domain ${i} priority`);
    const capabilities = readStrings(r, `domain ${i} capability`);
    const state = r.u31(`domain ${i} state type`);
    const init = r.u31(`domain ${i} init fn`);
    const nt = r.count(`domain ${i} transition`, MODULE_TABLE_MAX, 5);
    const transitions: TransitionDesc[] = [];
    for (let j = 0; j < nt; j++) {
      const tname = r.str(`domain ${i} transition ${j} name`);
      const params = readFields(r, `domain ${i} transition ${j} parameter`);
      const tprio = r.priority(`domain ${i} transition ${j} priority`);
      const fn = r.u31(`domain ${i} transition ${j} fn`);
      const reply = r.u31(`domain ${i} transition ${j} reply type`);
      transitions.push({ name: tname, params, priority: tprio, fn, reply });
    }
    const ng = r.count(`domain ${i} goal`, MODULE_TABLE_MAX, 4);
    const goals: GoalDesc[] = [];
    for (let j = 0; j < ng; j++) {
      const gname = r.str(`domain ${i} goal ${j} name`);
      const gprio = r.priority(`domain ${i} goal ${j} priority`);
      const fn = r.u31(`domain ${i} goal ${j} fn`);
      const nv = r.count(`domain ${i} goal ${j} via`, MODULE_TABLE_MAX, 1);
      const via: number[] = [];
      for (let k = 0; k < nv; k++) via.push(r.u31(`domain ${i} goal ${j} via ${k}`));
      goals.push({ name: gname, priority: gprio, fn, via });
    }
    const ni = r.count(`domain ${i} invariant`, MODULE_TABLE_MAX, 2);
    const invariants: InvariantDesc[] = [];
    for (let j = 0; j < ni; j++) {
      const iname = r.str(`domain ${i} invariant ${j} name`);
      invariants.push({ name: iname, fn: r.u31(`domain ${i} invariant ${j} fn`) });
    }
    out.push({ name, priority, capabilities, state, init, transitions, goals, invariants });
  }
  return out;
}

function readDebug(r: SectionReader): DebugInfo {
  const files = readStrings(r, "debug file");
  // Position count and local-name count: 2 bytes at least.
  const n = r.count("debug function", MODULE_TABLE_MAX, 2);
  const fns: FnDebug[] = [];
  for (let i = 0; i < n; i++) {
    const np = r.count(`debug function ${i} position`, FN_CODE_WORDS_MAX, 4);
    const pcs = new Int32Array(np);
    const lines = new Int32Array(np);
    const cols = new Int32Array(np);
    const fileIdx = new Int32Array(np);
    for (let j = 0; j < np; j++) {
      pcs[j] = r.u31(`debug function ${i} pc`);
      lines[j] = r.u31(`debug function ${i} line`);
      cols[j] = r.u31(`debug function ${i} column`);
      fileIdx[j] = r.u31(`debug function ${i} file index`);
    }
    const localNames = readStrings(r, `debug function ${i} local name`);
    fns.push({ pcs, lines, cols, files: fileIdx, localNames });
  }
  return { files, fns };
}

/**
 * Decodes a `.lxm` file. Throws `ModuleFormatError` (and nothing else) when the bytes are
 * not a well-formed module of this format version or the program hash does not match.
 * The result still has to pass `verifyModule` before it runs.
 */
export function decodeModule(bytes: Uint8Array): Module {
  if (!(bytes instanceof Uint8Array)) throw new ModuleFormatError("input is not a byte array", "file", 0);
  if (bytes.length > MODULE_BYTES_MAX) {
    throw new ModuleFormatError(`file is ${bytes.length} bytes, over MODULE_BYTES_MAX (${MODULE_BYTES_MAX})`, "file", 0);
  }
  if (bytes.length < HEADER_BYTES) {
    throw new ModuleFormatError(`file is ${bytes.length} bytes, shorter than the ${HEADER_BYTES}-byte header`, "header", 0);
  }
  for (let i = 0; i < MODULE_MAGIC.length; i++) {
    if (bytes[i] !== MODULE_MAGIC[i]) throw new ModuleFormatError('bad magic: not a Lexum module (expected "LXM\\0")', "header", i);
  }
  const version = bytes[4]! | (bytes[5]! << 8);
  if (version !== MODULE_FORMAT_VERSION) {
    throw new ModuleFormatError(`unsupported format version ${version} (this build reads ${MODULE_FORMAT_VERSION})`, "header", 4);
  }
  const headerHash = toHex0x(bytes.subarray(HEADER_HASH_OFFSET, HEADER_HASH_OFFSET + 32));

  let consts: ConstDesc[] | undefined;
  let types: TypeDesc[] | undefined;
  let effects: EffectDesc[] | undefined;
  let fns: FnDesc[] | undefined;
  let domains: DomainDesc[] | undefined;
  let fuelPerSlice: number | undefined;
  let debug: DebugInfo | null = null;

  let pos = HEADER_BYTES;
  let lastId = 0;
  while (pos < bytes.length) {
    const prev = SECTION_NAMES[lastId] ?? "header";
    if (bytes.length - pos < SECTION_FRAME_BYTES) {
      throw new ModuleFormatError(`truncated section frame after section ${prev}`, prev, pos);
    }
    const id = bytes[pos]!;
    const len = (bytes[pos + 1]! | (bytes[pos + 2]! << 8) | (bytes[pos + 3]! << 16) | (bytes[pos + 4]! << 24)) >>> 0;
    const name = SECTION_NAMES[id];
    if (name === undefined) throw new ModuleFormatError(`unknown section id ${id}`, prev, pos);
    if (id <= lastId) throw new ModuleFormatError(`section ${name} is out of order or repeated (after ${prev})`, name, pos);
    const missing = REQUIRED_SECTIONS.find((s) => SECTION[s] > lastId && SECTION[s] < id);
    if (missing !== undefined) throw new ModuleFormatError(`section ${missing} is missing (found ${name} instead)`, name, pos);
    const start = pos + SECTION_FRAME_BYTES;
    if (len > bytes.length - start) {
      throw new ModuleFormatError(`section length ${len} runs past the end of the file (${bytes.length - start} bytes left)`, name, pos);
    }
    const end = start + len;
    const r = new SectionReader(bytes, name, start, end);
    switch (name) {
      case "consts":
        consts = readConsts(r);
        break;
      case "types":
        types = readTypes(r);
        break;
      case "effects":
        effects = readEffects(r);
        break;
      case "fns":
        fns = readFns(r);
        break;
      case "domains":
        domains = readDomains(r);
        break;
      case "fuel":
        fuelPerSlice = r.uvar("fuelPerSlice");
        break;
      case "debug":
        debug = readDebug(r);
        break;
    }
    r.done();
    pos = end;
    lastId = id;
  }
  assert(pos === bytes.length, "decode: sections end exactly at the end of the file");
  if (lastId < SECTION.fuel) {
    const missing = REQUIRED_SECTIONS.find((s) => SECTION[s] > lastId)!;
    throw new ModuleFormatError(`section ${missing} is missing (file ends)`, missing, pos);
  }
  assert(
    consts && types && effects && fns && domains && fuelPerSlice !== undefined,
    "decode: every required section was read",
  );

  const m: Module = { formatVersion: version, programHash: headerHash, fuelPerSlice, consts, types, effects, fns, domains, debug };
  const actual = computeProgramHash(m);
  if (actual !== headerHash) {
    throw new ModuleFormatError(`program hash mismatch: header says ${headerHash}, contents hash to ${actual}`, "header", HEADER_HASH_OFFSET, {
      expectedHash: headerHash,
      actualHash: actual,
    });
  }
  assert(m.fns.every((f) => f.code instanceof Int32Array), "decode: code is held as Int32Array");
  return m;
}

/**
 * Module → `.lxm` bytes, and the program hash. Layout: `format.ts` and
 * `docs/formats.md "Module (.lxm)"`.
 *
 * The encoding is canonical: one module has exactly one encoding (minimal varints, fixed
 * section order, tables in the module's order), so the program hash — SHA-256 over the
 * header without its hash field and sections 1–6 — identifies the program. Debug info (source
 * positions, file names, local names) sits in the last section, outside the hash, so moving
 * code around in its files leaves the hash unchanged (rules.md [41]).
 *
 * Failure semantics: the encoder expects a module the compiler built (ideally verified). A
 * value that cannot be encoded at all (a negative count, a non-integer index, a string with a
 * lone surrogate, a stale `programHash`) is a bug of the producer and fails an assertion. A
 * module larger than `MODULE_BYTES_MAX` throws `ModuleFormatError`: the decoder would refuse it.
 */
import { assert } from "../base/assert.ts";
import { ByteWriter } from "../base/bytes.ts";
import { sha256Parts, toHex0x } from "../base/hash.ts";
import { MODULE_BYTES_MAX } from "../base/limits.ts";
import { ModuleFormatError } from "./errors.ts";
import {
  CONST_TAG,
  FN_KIND_CODE,
  HEADER_BYTES,
  SECTION,
  TYPE_KIND_CODE,
  isWellFormedString,
  type SectionName,
} from "./format.ts";
import { MODULE_MAGIC, type DebugInfo, type FieldDesc, type Module, type TypeDesc } from "./module.ts";

function uv(w: ByteWriter, v: number, what: string): void {
  assert(Number.isSafeInteger(v) && v >= 0, () => `encode: ${what} must be a non-negative integer, got ${v}`);
  w.uvar(v);
}

function str(w: ByteWriter, s: string, what: string): void {
  assert(typeof s === "string" && isWellFormedString(s), () => `encode: ${what} must be a well-formed string`);
  w.str(s);
}

function u8(w: ByteWriter, v: number, max: number, what: string): void {
  assert(Number.isInteger(v) && v >= 0 && v <= max, () => `encode: ${what} must be in 0..${max}, got ${v}`);
  w.u8(v);
}

function fields(w: ByteWriter, fs: readonly FieldDesc[], what: string): void {
  uv(w, fs.length, `${what} count`);
  for (const f of fs) {
    str(w, f.name, `${what} name`);
    uv(w, f.type, `${what} ${f.name} type`);
  }
}

function strings(w: ByteWriter, ss: readonly string[], what: string): void {
  uv(w, ss.length, `${what} count`);
  for (const s of ss) str(w, s, what);
}

function frame(out: ByteWriter, name: SectionName, payload: ByteWriter): void {
  out.u8(SECTION[name]).u32(payload.length).bytes(payload.view_());
}

function writeType(w: ByteWriter, t: TypeDesc): void {
  w.u8(TYPE_KIND_CODE[t.k]);
  switch (t.k) {
    case "int":
    case "float":
    case "bool":
    case "string":
    case "json":
    case "none":
      return;
    case "list":
    case "set":
      return uv(w, t.elem, `${t.k} element type`);
    case "opt":
      return uv(w, t.inner, "optional inner type");
    case "result":
      return uv(w, t.ok, "result ok type");
    case "map":
      uv(w, t.key, "map key type");
      return uv(w, t.val, "map value type");
    case "record":
      str(w, t.name, "record name");
      return fields(w, t.fields, `record ${t.name} field`);
    case "enum":
      str(w, t.name, "enum name");
      uv(w, t.variants.length, "variant count");
      for (const v of t.variants) {
        str(w, v.name, "variant name");
        fields(w, v.fields, `variant ${t.name}.${v.name} field`);
      }
      return;
    default:
      assert(false, () => `encode: unknown type kind ${JSON.stringify((t as { k: unknown }).k)}`);
  }
}

/** Sections 1–6, framed: the hashed body after the header. */
function encodeCore(m: Module): Uint8Array {
  const out = new ByteWriter(1024);

  const consts = new ByteWriter();
  uv(consts, m.consts.length, "constant count");
  for (const c of m.consts) {
    if (c.k === "int") {
      assert(Number.isSafeInteger(c.v), () => `encode: int constant ${c.v} is not a safe integer`);
      if (c.v >= 0) consts.u8(CONST_TAG.intNonNeg).uvar(c.v);
      else consts.u8(CONST_TAG.intNeg).uvar(-c.v);
    } else if (c.k === "float") {
      assert(typeof c.v === "number", "encode: float constant must be a number");
      consts.u8(CONST_TAG.float).f64(c.v);
    } else {
      assert(c.k === "string", () => `encode: unknown constant kind ${JSON.stringify((c as { k: unknown }).k)}`);
      consts.u8(CONST_TAG.string);
      str(consts, c.v, "string constant");
    }
  }
  frame(out, "consts", consts);

  const types = new ByteWriter();
  uv(types, m.types.length, "type count");
  for (const t of m.types) writeType(types, t);
  frame(out, "types", types);

  const effects = new ByteWriter();
  uv(effects, m.effects.length, "effect count");
  for (const e of m.effects) {
    str(effects, e.name, "effect name");
    fields(effects, e.params, `effect ${e.name} parameter`);
    uv(effects, e.result, "effect result type");
    strings(effects, e.capabilities, "effect capability");
    uv(effects, e.retries, "effect retries");
    uv(effects, e.backoffMinMs, "effect backoffMinMs");
    uv(effects, e.backoffMaxMs, "effect backoffMaxMs");
    uv(effects, e.timeoutMs, "effect timeoutMs");
  }
  frame(out, "effects", effects);

  const fns = new ByteWriter(1024);
  uv(fns, m.fns.length, "function count");
  for (const f of m.fns) {
    str(fns, f.name, "function name");
    const kind = FN_KIND_CODE[f.kind];
    assert(kind !== undefined, () => `encode: function ${f.name} has unknown kind ${f.kind}`);
    fns.u8(kind);
    uv(fns, f.params, `function ${f.name} params`);
    uv(fns, f.locals, `function ${f.name} locals`);
    uv(fns, f.maxStack, `function ${f.name} maxStack`);
    assert(f.code instanceof Int32Array, () => `encode: function ${f.name} code must be an Int32Array`);
    fns.uvar(f.code.length);
    for (let i = 0; i < f.code.length; i++) fns.i32(f.code[i]!);
  }
  frame(out, "fns", fns);

  const domains = new ByteWriter();
  uv(domains, m.domains.length, "domain count");
  for (const d of m.domains) {
    str(domains, d.name, "domain name");
    u8(domains, d.priority, 4, `domain ${d.name} priority`);
    strings(domains, d.capabilities, `domain ${d.name} capability`);
    uv(domains, d.state, `domain ${d.name} state type`);
    uv(domains, d.init, `domain ${d.name} init fn`);
    uv(domains, d.transitions.length, "transition count");
    for (const t of d.transitions) {
      str(domains, t.name, "transition name");
      fields(domains, t.params, `transition ${d.name}.${t.name} parameter`);
      u8(domains, t.priority, 4, `transition ${d.name}.${t.name} priority`);
      uv(domains, t.fn, `transition ${d.name}.${t.name} fn`);
      uv(domains, t.reply, `transition ${d.name}.${t.name} reply type`);
    }
    uv(domains, d.goals.length, "goal count");
    for (const g of d.goals) {
      str(domains, g.name, "goal name");
      u8(domains, g.priority, 4, `goal ${d.name}.${g.name} priority`);
      uv(domains, g.fn, `goal ${d.name}.${g.name} fn`);
      uv(domains, g.via.length, "via count");
      for (const v of g.via) uv(domains, v, `goal ${d.name}.${g.name} via`);
    }
    uv(domains, d.invariants.length, "invariant count");
    for (const inv of d.invariants) {
      str(domains, inv.name, "invariant name");
      uv(domains, inv.fn, `invariant ${d.name}.${inv.name} fn`);
    }
  }
  frame(out, "domains", domains);

  const fuel = new ByteWriter(8);
  uv(fuel, m.fuelPerSlice, "fuelPerSlice");
  frame(out, "fuel", fuel);

  return out.finish();
}

function encodeDebug(d: DebugInfo): ByteWriter {
  const w = new ByteWriter(1024);
  strings(w, d.files, "debug file name");
  uv(w, d.fns.length, "debug function count");
  for (const f of d.fns) {
    const n = f.pcs.length;
    assert(f.lines.length === n && f.cols.length === n && f.files.length === n, "encode: debug position arrays differ in length");
    w.uvar(n);
    for (let i = 0; i < n; i++) {
      uv(w, f.pcs[i]!, "debug pc");
      uv(w, f.lines[i]!, "debug line");
      uv(w, f.cols[i]!, "debug column");
      uv(w, f.files[i]!, "debug file index");
    }
    strings(w, f.localNames, "debug local name");
  }
  return w;
}

function versionBytes(v: number): Uint8Array {
  assert(Number.isInteger(v) && v >= 0 && v <= 0xffff, () => `encode: format version ${v} does not fit in u16`);
  return Uint8Array.of(v & 0xff, v >>> 8);
}

function hashOf(version: Uint8Array, core: Uint8Array): Uint8Array {
  return sha256Parts([MODULE_MAGIC, version, core]);
}

/**
 * The program hash (`0x` + 64 hex digits) the module's encoding would carry: SHA-256 of the
 * canonical encoding without the hash field and without debug info.
 */
export function computeProgramHash(m: Module): string {
  return toHex0x(hashOf(versionBytes(m.formatVersion), encodeCore(m)));
}

/** A copy of `m` whose `programHash` is filled in from its contents (for producers). */
export function withProgramHash<M extends Module>(m: M): M {
  return { ...m, programHash: computeProgramHash(m) };
}

/** The `.lxm` bytes of a module. `m.programHash` must equal `computeProgramHash(m)`. */
export function encodeModule(m: Module): Uint8Array {
  const version = versionBytes(m.formatVersion);
  const core = encodeCore(m);
  const hash = hashOf(version, core);
  assert(
    toHex0x(hash) === m.programHash,
    () => `encode: module programHash ${m.programHash} is stale; contents hash to ${toHex0x(hash)} (use withProgramHash)`,
  );
  const out = new ByteWriter(HEADER_BYTES + core.length + 64);
  out.bytes(MODULE_MAGIC).bytes(version).bytes(hash).bytes(core);
  if (m.debug !== null) frame(out, "debug", encodeDebug(m.debug));
  if (out.length > MODULE_BYTES_MAX) {
    throw new ModuleFormatError(`module is ${out.length} bytes, over MODULE_BYTES_MAX (${MODULE_BYTES_MAX})`, "file", 0);
  }
  assert(out.length >= HEADER_BYTES + core.length, "encode: output shorter than its parts");
  return out.finish();
}

/**
 * The disassembler: a human-readable listing of a module (`lexum disasm`), driven by the
 * opcode table's operand kinds (STYLE.md §2). Output is deterministic — the same module
 * always gives the same text — so listings serve as golden files.
 *
 * It never throws on a module that failed verification: an index out of range renders as
 * `?N`, an unknown opcode as `???`, so a listing can help explain why a module was refused.
 */
import { BUILTINS } from "./builtins.ts";
import { PRIORITIES, type ConstDesc, type FieldDesc, type FnDebug, type Module, type TypeDesc } from "./module.ts";
import { OPS, type OperandKind } from "./opcodes.ts";
import { RESULT_FIELDS, RESULT_VARIANTS } from "./verify.ts";

/** Nesting depth after which a type name is abbreviated (defends against hostile type graphs). */
const TYPE_NAME_DEPTH_MAX = 16;
/** Type-graph nodes visited per name: keeps naming linear even for unverified, branching graphs. */
const TYPE_NAME_STEPS_MAX = 64;
/** Longest string constant shown inline in an instruction (the constants table shows all). */
const INLINE_STRING_MAX = 48;

type TypeNamer = (i: number) => string;

/** Names types (`list<Item>`, `Receipt?`), memoised per index, bounded in depth and work. */
function typeNamer(m: Module): TypeNamer {
  const memo = new Map<number, string>();
  return (i) => {
    let name = memo.get(i);
    if (name !== undefined) return name;
    let steps = TYPE_NAME_STEPS_MAX;
    const rec = (j: number, depth: number): string => {
      const t: TypeDesc | undefined = m.types[j];
      if (t === undefined) return `?${j}`;
      if (depth > TYPE_NAME_DEPTH_MAX || --steps < 0) return "…";
      switch (t.k) {
        case "list":
        case "set":
          return `${t.k}<${rec(t.elem, depth + 1)}>`;
        case "map":
          return `map<${rec(t.key, depth + 1)}, ${rec(t.val, depth + 1)}>`;
        case "opt":
          return `${rec(t.inner, depth + 1)}?`;
        case "result":
          return `result<${rec(t.ok, depth + 1)}>`;
        case "record":
        case "enum":
          return t.name;
        default:
          return t.k;
      }
    };
    name = rec(i, 0);
    memo.set(i, name);
    return name;
  };
}

function fieldsText(typeName: TypeNamer, fs: readonly FieldDesc[]): string {
  return fs.map((f) => `${f.name}: ${typeName(f.type)}`).join(", ");
}

function floatText(v: number): string {
  const s = String(v);
  return /^-?\d+$/.test(s) ? `${s}.0` : s;
}

function constText(c: ConstDesc | undefined, i: number, max = Infinity): string {
  if (c === undefined) return `?${i}`;
  if (c.k === "int") return String(c.v);
  if (c.k === "float") return floatText(c.v);
  const s = JSON.stringify(c.v);
  return s.length > max ? `${s.slice(0, max - 2)}…"` : s;
}

function priorityText(p: number): string {
  return PRIORITIES[p] ?? `?${p}`;
}

function fnName(m: Module, i: number): string {
  return m.fns[i]?.name ?? `?${i}`;
}

/** The domain each function belongs to (-1: none), leniently: first reference wins. */
function fnDomains(m: Module): Int32Array {
  const owner = new Int32Array(m.fns.length).fill(-1);
  const claim = (fi: number, di: number): void => {
    if (fi >= 0 && fi < owner.length && owner[fi] === -1) owner[fi] = di;
  };
  m.domains.forEach((d, di) => {
    claim(d.init, di);
    for (const t of d.transitions) claim(t.fn, di);
    for (const g of d.goals) claim(g.fn, di);
    for (const inv of d.invariants) claim(inv.fn, di);
  });
  const byName = new Map<string, number>();
  m.domains.forEach((d, di) => byName.set(d.name, di));
  m.fns.forEach((f, fi) => {
    const dot = f.name.indexOf(".");
    const di = dot > 0 ? byName.get(f.name.slice(0, dot)) : undefined;
    if (di !== undefined) claim(fi, di);
  });
  return owner;
}

const FLAG_WORDS: Readonly<Record<string, string>> = { SEND: "after", EMIT: "key", AWAIT: "key" };

type OperandCtx = { m: Module; typeName: TypeNamer; domain: number; dbg: FnDebug | undefined; opName: string };

/**
 * Renders an instruction's operands. Dependent operands (a record's field, a variant tag, a
 * domain's transition) are joined to the operand they depend on with a dot.
 */
function operandsText(ctx: OperandCtx, kinds: readonly OperandKind[], ops: readonly number[]): string {
  const { m } = ctx;
  const parts: string[] = [];
  for (let k = 0; k < kinds.length; k++) {
    const v = ops[k]!;
    const prev = ops[k - 1] ?? -1;
    switch (kinds[k]!) {
      case "const":
        parts.push(constText(m.consts[v], v, INLINE_STRING_MAX));
        break;
      case "imm":
      case "count":
        parts.push(String(v));
        break;
      case "local": {
        const name = ctx.dbg?.localNames[v];
        parts.push(name !== undefined && name !== "" ? `%${v}:${name}` : `%${v}`);
        break;
      }
      case "sfield": {
        const d = m.domains[ctx.domain];
        const st = d === undefined ? undefined : m.types[d.state];
        const f = st?.k === "record" ? st.fields[v] : undefined;
        parts.push(st?.k === "record" && f !== undefined ? `${st.name}.${f.name}` : `state.?${v}`);
        break;
      }
      case "target":
        parts.push(`-> ${String(v).padStart(4, "0")}`);
        break;
      case "fn":
        parts.push(fnName(m, v));
        break;
      case "type":
        parts.push(ctx.typeName(v));
        break;
      case "effect":
        parts.push(m.effects[v]?.name ?? `?${v}`);
        break;
      case "domain":
        parts.push(m.domains[v]?.name ?? `?${v}`);
        break;
      case "transition":
        parts[parts.length - 1] += `.${m.domains[prev]?.transitions[v]?.name ?? `?${v}`}`;
        break;
      case "builtin":
        parts.push(BUILTINS[v]?.name ?? `?${v}`);
        break;
      case "field": {
        const t = m.types[prev];
        parts[parts.length - 1] += `.${t?.k === "record" ? (t.fields[v]?.name ?? `?${v}`) : `?${v}`}`;
        break;
      }
      case "tag": {
        const t = m.types[prev];
        const name = t?.k === "enum" ? t.variants[v]?.name : t?.k === "result" ? RESULT_VARIANTS[v as 0 | 1] : undefined;
        parts[parts.length - 1] += `.${name ?? `?${v}`}`;
        break;
      }
      case "vfield": {
        const t = m.types[ops[k - 2] ?? -1];
        const name = t?.k === "enum" ? t.variants[prev]?.fields[v]?.name : t?.k === "result" && v === 0 ? RESULT_FIELDS[prev] : undefined;
        parts[parts.length - 1] += `.${name ?? `?${v}`}`;
        break;
      }
      case "flag":
        if (v !== 0) parts.push(v === 1 && FLAG_WORDS[ctx.opName] !== undefined ? FLAG_WORDS[ctx.opName]! : `flag=${v}`);
        break;
    }
  }
  return parts.join(" ");
}

function header(m: Module, out: string[]): void {
  out.push(`; Lexum module, format ${m.formatVersion}`);
  out.push(`; program hash ${m.programHash}`);
  out.push(`; fuel per slice ${m.fuelPerSlice}`);
  out.push(
    `; ${m.consts.length} constants, ${m.types.length} types, ${m.effects.length} effects, ${m.fns.length} functions, ${m.domains.length} domains` +
      (m.debug === null ? ", no debug info" : `, debug info for ${m.debug.files.length} files`),
  );
}

function idx(i: number): string {
  return `#${i}`.padEnd(5);
}

function tables(m: Module, typeName: TypeNamer, out: string[]): void {
  out.push("", "types");
  m.types.forEach((t, i) => {
    let text: string;
    if (t.k === "record") text = `record ${t.name} { ${fieldsText(typeName, t.fields)} }`;
    else if (t.k === "enum") {
      const vs = t.variants.map((v) => (v.fields.length === 0 ? v.name : `${v.name}(${fieldsText(typeName, v.fields)})`));
      text = `enum ${t.name} { ${vs.join(", ")} }`;
    } else text = typeName(i);
    out.push(`  ${idx(i)} ${text}`);
  });
  out.push("", "constants");
  m.consts.forEach((c, i) => out.push(`  ${idx(i)} ${c.k} ${constText(c, i)}`));
  out.push("", "effects");
  m.effects.forEach((e, i) => {
    out.push(`  ${idx(i)} ${e.name}(${fieldsText(typeName, e.params)}) -> ${typeName(e.result)}`);
    const caps = e.capabilities.length === 0 ? "none" : e.capabilities.join(", ");
    out.push(`        capabilities ${caps}; retries ${e.retries}; backoff ${e.backoffMinMs}ms..${e.backoffMaxMs}ms; timeout ${e.timeoutMs}ms`);
  });
  out.push("", "domains");
  m.domains.forEach((d, i) => {
    const caps = d.capabilities.length === 0 ? "none" : d.capabilities.join(", ");
    out.push(`  ${idx(i)} domain ${d.name}  priority ${priorityText(d.priority)}  capabilities ${caps}`);
    const st = m.types[d.state];
    out.push(`        state ${typeName(d.state)} { ${st?.k === "record" ? fieldsText(typeName, st.fields) : "?"} }`);
    out.push(`        init ${fnName(m, d.init)}`);
    d.transitions.forEach((t, ti) => {
      out.push(
        `        transition ${idx(ti)}${t.name}(${fieldsText(typeName, t.params)}) -> ${typeName(t.reply)}  priority ${priorityText(t.priority)}  fn ${fnName(m, t.fn)}`,
      );
    });
    for (const g of d.goals) {
      const via = g.via.map((v) => d.transitions[v]?.name ?? `?${v}`).join(", ");
      out.push(`        goal ${g.name}  priority ${priorityText(g.priority)}  fn ${fnName(m, g.fn)}  via ${via === "" ? "(none)" : via}`);
    }
    for (const inv of d.invariants) out.push(`        invariant ${inv.name}  fn ${fnName(m, inv.fn)}`);
  });
}

const NAME_WIDTH = 12;
const COMMENT_COLUMN = 48;

function functionListing(m: Module, typeName: TypeNamer, fi: number, domain: number, out: string[]): void {
  const f = m.fns[fi]!;
  const dbg = m.debug?.fns[fi];
  out.push("", `fn ${f.name}  (${f.kind}, params ${f.params}, locals ${f.locals}, max stack ${f.maxStack})`);
  const code = f.code;
  let posIdx = 0;
  let lastPos = "";
  for (let pc = 0; pc < code.length; ) {
    const op = code[pc]!;
    const info = OPS[op];
    let text: string;
    let size: number;
    if (info === undefined) {
      text = `???          ${op}`;
      size = 1;
    } else if (pc + 1 + info.operands.length > code.length) {
      text = `${info.name.padEnd(NAME_WIDTH)} <truncated>`;
      size = code.length - pc;
    } else {
      const ops = Array.from(code.subarray(pc + 1, pc + 1 + info.operands.length));
      const operands = operandsText({ m, typeName, domain, dbg, opName: info.name }, info.operands, ops);
      text = operands === "" ? info.name : `${info.name.padEnd(NAME_WIDTH)} ${operands}`;
      size = 1 + info.operands.length;
    }
    let line = `  ${String(pc).padStart(4, "0")}  ${text}`;
    if (dbg !== undefined) {
      while (posIdx + 1 < dbg.pcs.length && dbg.pcs[posIdx + 1]! <= pc) posIdx++;
      if (posIdx < dbg.pcs.length && dbg.pcs[posIdx]! <= pc) {
        const file = m.debug!.files[dbg.files[posIdx]!] ?? `?${dbg.files[posIdx]}`;
        const pos = `${file}:${dbg.lines[posIdx]}:${dbg.cols[posIdx]}`;
        if (pos !== lastPos) {
          line = `${line.padEnd(COMMENT_COLUMN)} ; ${pos}`;
          lastPos = pos;
        }
      }
    }
    out.push(line.trimEnd());
    pc += size;
  }
}

/**
 * A listing of the whole module: header (program hash, fuel), types, constants, effects,
 * domains, then every function as `pc  OPNAME operands  ; source position`.
 */
export function disassemble(m: Module): string {
  const out: string[] = [];
  header(m, out);
  const typeName = typeNamer(m);
  tables(m, typeName, out);
  const owners = fnDomains(m);
  for (let fi = 0; fi < m.fns.length; fi++) functionListing(m, typeName, fi, owners[fi]!, out);
  return out.join("\n") + "\n";
}

/**
 * The compiler pipeline (STYLE.md §1): lexer → parser → checker → codegen, one way.
 * `compileProgram` never throws for problems in the user's program: it returns diagnostics.
 */
import { LexumError } from "../base/errors.ts";
import { SOURCE_BYTES_MAX } from "../base/limits.ts";
import { withProgramHash } from "../bytecode/encode.ts";
import type { Module } from "../bytecode/module.ts";
import type * as A from "./ast.ts";
import { checkProgram } from "./checker.ts";
import { generate } from "./codegen.ts";
import { DiagnosticBag, hasErrors, type Diagnostic } from "./diagnostics.ts";
import { decodeSourceBytes, lex } from "./lexer.ts";
import { parseFile } from "./parser.ts";
import { PRELUDE_FILE_ID, PRELUDE_PATH, PRELUDE_SOURCE } from "./prelude.ts";
import { renderDiagnostics } from "./render.ts";
import { SourceFile } from "./source.ts";

/**
 * One source text, or files by path. A file given as bytes is decoded as strict UTF-8 here, so
 * invalid UTF-8 is a diagnostic (LX0007, rules.md [39]) rather than replacement characters.
 */
export type CompileInput = string | Readonly<Record<string, string | Uint8Array>>;

export type CompileResult = {
  readonly module: Module | null;
  readonly diagnostics: readonly Diagnostic[];
  readonly files: readonly SourceFile[];
};

/** Thrown by `compile` when the program has errors; carries every diagnostic. */
export class CompileError extends LexumError {
  override name = "CompileError";
  constructor(
    readonly diagnostics: readonly Diagnostic[],
    readonly files: readonly SourceFile[],
  ) {
    const n = diagnostics.filter((d) => d.severity === "error").length;
    super("LX-COMPILE", `the program has ${n} error${n === 1 ? "" : "s"}:\n${renderDiagnostics(diagnostics, files)}`, 1);
  }
}

function sortedEntries(input: CompileInput): [string, string | Uint8Array][] {
  if (typeof input === "string") return [["main.lex", input]];
  // Sorted by path: the program does not depend on the order files were given in.
  return Object.entries(input).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export function compileProgram(input: CompileInput): CompileResult {
  const diags = new DiagnosticBag();
  const prelude = new SourceFile(PRELUDE_FILE_ID, PRELUDE_PATH, PRELUDE_SOURCE);
  const files: SourceFile[] = [prelude];
  const asts: A.FileAst[] = [parseFile(lex(PRELUDE_SOURCE, PRELUDE_FILE_ID, diags), prelude, diags, { prelude: true })];
  sortedEntries(input).forEach(([path, content], i) => {
    // UTF-16 units of a string are at most its UTF-8 bytes: either bounds the work.
    if (content.length > SOURCE_BYTES_MAX) {
      files.push(new SourceFile(i, path, ""));
      diags.add("LX0701", { file: i, start: 0, end: 0 }, `${path} is larger than ${SOURCE_BYTES_MAX} bytes`);
      return;
    }
    const decoded = decodeSource(content);
    const src = new SourceFile(i, path, decoded.text);
    files.push(src);
    if (decoded.bad !== null) {
      // The rest of the file cannot be trusted to mean what its author sees: report and skip it.
      diags.add("LX0007", { file: i, start: decoded.bad.offset, end: decoded.bad.offset + 1 }, decoded.bad.message);
      return;
    }
    asts.push(parseFile(lex(decoded.text, i, diags), src, diags));
  });
  const checked = checkProgram(asts, diags);
  let module: Module | null = null;
  if (!hasErrors(diags.items)) {
    const m = generate(checked, files, diags);
    if (m !== null && !hasErrors(diags.items)) module = withProgramHash({ ...m, programHash: "" });
  }
  return { module, diagnostics: sortDiagnostics(diags.items), files };
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Source text from a string or UTF-8 bytes. `bad` is the first place that is not valid UTF-8
 * (bytes) or not valid Unicode (a lone surrogate in a string, which has no UTF-8 form); the
 * text then holds the valid prefix so the diagnostic can point at the end of it.
 */
function decodeSource(content: string | Uint8Array): { text: string; bad: { offset: number; message: string } | null } {
  if (typeof content === "string") {
    const m = LONE_SURROGATE.exec(content);
    return { text: content, bad: m === null ? null : { offset: m.index, message: "invalid Unicode in source: an unpaired surrogate has no UTF-8 form" } };
  }
  const dec = decodeSourceBytes(content);
  if ("text" in dec) return { text: dec.text, bad: null };
  const prefix = new TextDecoder().decode(content.subarray(0, dec.badOffset));
  // Keep the rest of the line (with replacement characters) so the code frame shows context.
  const rest = new TextDecoder().decode(content.subarray(dec.badOffset));
  const nl = rest.indexOf("\n");
  const text = prefix + (nl < 0 ? rest : rest.slice(0, nl));
  return { text, bad: { offset: prefix.length, message: `invalid UTF-8 at byte ${dec.badOffset}` } };
}

/** Diagnostics in file, then position order: stable output for people and golden files. */
function sortDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  return [...ds].sort((a, b) => a.span.file - b.span.file || a.span.start - b.span.start || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/** TS API (rules.md [43]): returns the module or throws a CompileError with the diagnostics. */
export function compile(input: CompileInput): Module {
  const r = compileProgram(input);
  if (r.module === null) throw new CompileError(r.diagnostics, r.files);
  return r.module;
}

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
import { lex } from "./lexer.ts";
import { parseFile } from "./parser.ts";
import { PRELUDE_FILE_ID, PRELUDE_PATH, PRELUDE_SOURCE } from "./prelude.ts";
import { renderDiagnostics } from "./render.ts";
import { SourceFile } from "./source.ts";

export type CompileInput = string | Readonly<Record<string, string>>;

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

function sortedEntries(input: CompileInput): [string, string][] {
  if (typeof input === "string") return [["main.lex", input]];
  // Sorted by path: the program does not depend on the order files were given in.
  return Object.entries(input).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export function compileProgram(input: CompileInput): CompileResult {
  const diags = new DiagnosticBag();
  const prelude = new SourceFile(PRELUDE_FILE_ID, PRELUDE_PATH, PRELUDE_SOURCE);
  const files: SourceFile[] = [prelude];
  const asts: A.FileAst[] = [parseFile(lex(PRELUDE_SOURCE, PRELUDE_FILE_ID, diags), prelude, diags, { prelude: true })];
  sortedEntries(input).forEach(([path, text], i) => {
    const src = new SourceFile(i, path, text);
    files.push(src);
    if (text.length > SOURCE_BYTES_MAX) {
      diags.add("LX0701", { file: i, start: 0, end: 0 }, `${path} is larger than ${SOURCE_BYTES_MAX} bytes`);
      return;
    }
    asts.push(parseFile(lex(text, i, diags), src, diags));
  });
  const checked = checkProgram(asts, diags);
  let module: Module | null = null;
  if (!hasErrors(diags.items)) {
    const m = generate(checked, files, diags);
    if (m !== null && !hasErrors(diags.items)) module = withProgramHash({ ...m, programHash: "" });
  }
  return { module, diagnostics: sortDiagnostics(diags.items), files };
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

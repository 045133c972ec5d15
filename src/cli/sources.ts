/**
 * Loading a program from the command line (rules.md [41]): every path given forms one
 * program; a directory contributes its `*.lex` files (not recursively), sorted by path; a
 * `.lxm` file is a compiled module.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { LexumError } from "../base/errors.ts";
import { decodeModule } from "../bytecode/decode.ts";
import { verifyModule } from "../bytecode/verify.ts";
import type { Module } from "../bytecode/module.ts";
import { compileProgram, type CompileResult } from "../compiler/compile.ts";
import { decodeSourceBytes } from "../compiler/lexer.ts";
import { diag } from "../compiler/diagnostics.ts";
import { SourceFile } from "../compiler/source.ts";

export function expandPaths(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      throw new LexumError("LX-USAGE", `${p}: no such file or directory`, 1);
    }
    if (st.isDirectory()) {
      const files = fs.readdirSync(p).filter((f) => f.endsWith(".lex")).sort().map((f) => path.join(p, f));
      if (files.length === 0) throw new LexumError("LX-USAGE", `${p}: the directory has no .lex files`, 1);
      out.push(...files);
    } else out.push(p);
  }
  return [...new Set(out)].sort();
}

/** Compiles source paths; invalid UTF-8 becomes an LX0007 diagnostic at the bad byte. */
export function compilePaths(paths: readonly string[]): CompileResult {
  const files = expandPaths(paths);
  const input: Record<string, string> = {};
  const badUtf8: { path: string; text: string; offset: number }[] = [];
  for (const f of files) {
    const bytes = fs.readFileSync(f);
    const dec = decodeSourceBytes(bytes);
    if ("text" in dec) input[f] = dec.text;
    else {
      const text = new TextDecoder().decode(bytes.subarray(0, dec.badOffset));
      badUtf8.push({ path: f, text, offset: text.length });
    }
  }
  if (badUtf8.length > 0) {
    const srcs = badUtf8.map((b, i) => new SourceFile(i, b.path, b.text));
    return { module: null, files: srcs, diagnostics: badUtf8.map((b, i) => diag("LX0007", { file: i, start: b.offset, end: b.offset }, `invalid UTF-8 at byte ${Buffer.byteLength(b.text)}`)) };
  }
  return compileProgram(input);
}

export type LoadedProgram = { module: Module; sourcePaths: string[] };

/** Loads a program from `.lex` paths or one `.lxm` module; throws CompileError-like LexumErrors. */
export function loadProgram(paths: readonly string[]): LoadedProgram | CompileResult {
  if (paths.length === 1 && paths[0]!.endsWith(".lxm")) {
    const bytes = fs.readFileSync(paths[0]!);
    const module = decodeModule(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    verifyModule(module);
    return { module, sourcePaths: [] };
  }
  const r = compilePaths(paths);
  if (r.module === null) return r;
  return { module: r.module, sourcePaths: expandPaths(paths) };
}

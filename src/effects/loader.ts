/**
 * Loading user adapters from a module given with `--adapters mod.ts` (interface.md): its
 * default export maps effect names to async functions. TypeScript modules load through
 * tsx (the `lexum` binary registers it).
 */
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { LexumError } from "../base/errors.ts";
import type { Module } from "../bytecode/module.ts";
import type { Adapter } from "./dispatcher.ts";

let cjsHookRegistered = false;

/**
 * `bin/lexum.js` registers tsx's ESM hook only. Node treats a `.ts` file as CommonJS unless a
 * package.json above it says `"type": "module"` — the usual case for an adapters module kept
 * next to the .lex files — and without tsx's CommonJS hook its `export default` then fails
 * with "Cannot require() ES Module … in a cycle". Registering the CommonJS hook too makes
 * both kinds load.
 */
async function registerTsxCjs(): Promise<void> {
  if (cjsHookRegistered) return;
  cjsHookRegistered = true;
  try {
    const { register } = await import("tsx/cjs/api");
    register();
  } catch {
    // Not running under tsx (a compiled build): plain .js/.mjs adapters still load.
  }
}

export async function loadAdapters(file: string | undefined): Promise<Record<string, Adapter>> {
  if (!file) return {};
  if (/\.[cm]?tsx?$/.test(file)) await registerTsxCjs();
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(path.resolve(file)).href)) as { default?: unknown };
  } catch (e) {
    throw new LexumError("ADAPTERS", `cannot load adapters from ${file}: ${e instanceof Error ? e.message : String(e)}`, 1);
  }
  let d = mod.default;
  // A CommonJS module compiled from `export default {…}` may arrive as { default: {…} }.
  if (d !== null && typeof d === "object" && Object.keys(d).length === 1 && "default" in d && typeof (d as { default: unknown }).default === "object") d = (d as { default: unknown }).default;
  if (d === null || typeof d !== "object") throw new LexumError("ADAPTERS", `${file} must default-export an object mapping effect names to functions`, 1);
  const out: Record<string, Adapter> = {};
  for (const [k, v] of Object.entries(d as Record<string, unknown>)) {
    if (typeof v !== "function") throw new LexumError("ADAPTERS", `${file}: adapter ${JSON.stringify(k)} is not a function`, 1);
    out[k] = v as Adapter;
  }
  return out;
}

/** The start-up check (issue: "a clear error at start-up when a program declares an effect that no adapter provides"). */
export function missingAdapters(m: Module, available: readonly string[]): string[] {
  const have = new Set(available);
  return m.effects.map((e) => e.name).filter((n) => !have.has(n));
}

export function checkAdapters(m: Module, available: readonly string[], file: string | undefined): void {
  const missing = missingAdapters(m, available);
  if (missing.length > 0) {
    throw new LexumError(
      "NO_ADAPTER",
      `the program declares ${missing.length === 1 ? "effect" : "effects"} ${missing.join(", ")} but no adapter provides ${missing.length === 1 ? "it" : "them"}${file ? ` (loaded adapters from ${file}: ${available.filter((a) => !a.startsWith("Http.") && !a.startsWith("Log.")).join(", ") || "none"})` : "; pass --adapters mod.ts whose default export maps each effect name to a function"}`,
      1,
    );
  }
}

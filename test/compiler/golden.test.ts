/**
 * Golden files for diagnostics rendering (STYLE.md §12): each `golden/<name>.lex` is compiled
 * alone and its rendered diagnostics (`path:line:col: severity[CODE]: message`, code frame,
 * notes, summary) must equal `golden/<name>.txt` exactly; `golden/<name>.json` holds the
 * `--json` form (`lexum check --json`) where present. Regenerate with LEXUM_UPDATE_GOLDEN=1
 * and review the diff.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import { compileProgram } from "../../src/compiler/compile.ts";
import { hasErrors } from "../../src/compiler/diagnostics.ts";
import { diagnosticToJson, renderDiagnostics } from "../../src/compiler/render.ts";

const DIR = path.join(path.dirname(new URL(import.meta.url).pathname), "golden");
const UPDATE = process.env.LEXUM_UPDATE_GOLDEN === "1";
/** Programs whose `--json` form is also kept. */
const WITH_JSON = new Set(["missing_capability"]);

function check(file: string, actual: string): void {
  if (UPDATE) {
    fs.writeFileSync(file, actual);
    return;
  }
  expect(fs.existsSync(file), `${file} is missing: run with LEXUM_UPDATE_GOLDEN=1`).toBe(true);
  expect(actual).toBe(fs.readFileSync(file, "utf8"));
}

describe("diagnostics rendering", () => {
  const names = fs.readdirSync(DIR).filter((f) => f.endsWith(".lex")).map((f) => f.slice(0, -4)).sort();

  test("there are golden programs", () => {
    expect(names.length).toBeGreaterThanOrEqual(5);
  });

  for (const name of names) {
    test(name, () => {
      const bytes = fs.readFileSync(path.join(DIR, `${name}.lex`));
      const r = compileProgram({ [`${name}.lex`]: new Uint8Array(bytes) });
      expect(r.diagnostics.length, "a golden program has diagnostics").toBeGreaterThan(0);
      check(path.join(DIR, `${name}.txt`), renderDiagnostics(r.diagnostics, r.files) + "\n");
      if (WITH_JSON.has(name)) {
        // The shape `lexum check --json` prints.
        const json = { ok: !hasErrors(r.diagnostics), diagnostics: r.diagnostics.map((d) => diagnosticToJson(d, r.files)) };
        check(path.join(DIR, `${name}.json`), JSON.stringify(json, null, 2) + "\n");
      }
    });
  }
});

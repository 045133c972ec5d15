/**
 * Golden-file comparison (STYLE.md §12): with `LEXUM_UPDATE_GOLDEN=1` the file is rewritten,
 * otherwise the text must match it exactly. Review golden changes as diffs.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "vitest";

export const UPDATE_GOLDEN = process.env.LEXUM_UPDATE_GOLDEN === "1";

export function expectGolden(file: string, actual: string): void {
  if (UPDATE_GOLDEN) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, actual);
    return;
  }
  if (!fs.existsSync(file)) {
    throw new Error(`golden file ${file} is missing: run LEXUM_UPDATE_GOLDEN=1 npx vitest run test/bytecode`);
  }
  const expected = fs.readFileSync(file, "utf8");
  expect(actual, `${file} is out of date: run LEXUM_UPDATE_GOLDEN=1 npx vitest run test/bytecode and review the diff`).toBe(expected);
}

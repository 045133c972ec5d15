/**
 * Rendering diagnostics for people (`path:line:col: error[LX0123]: message` plus a code
 * frame and notes) and for tools (`--json`).
 */
import type { Diagnostic } from "./diagnostics.ts";
import type { SourceFile, Span } from "./source.ts";

function fileOf(files: readonly SourceFile[], span: Span): SourceFile | undefined {
  return files.find((f) => f.id === span.file);
}

export type DiagnosticJson = {
  code: string;
  severity: string;
  message: string;
  file: string;
  line: number;
  col: number;
  endLine: number;
  endCol: number;
  notes: { message: string; file?: string; line?: number; col?: number }[];
};

export function diagnosticToJson(d: Diagnostic, files: readonly SourceFile[]): DiagnosticJson {
  const f = fileOf(files, d.span);
  const start = f?.position(d.span.start) ?? { line: 0, col: 0 };
  const end = f?.position(d.span.end) ?? start;
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    file: f?.path ?? "<unknown>",
    line: start.line,
    col: start.col,
    endLine: end.line,
    endCol: end.col,
    notes: d.notes.map((n) => {
      if (!n.span) return { message: n.message };
      const nf = fileOf(files, n.span);
      const p = nf?.position(n.span.start);
      return { message: n.message, file: nf?.path, line: p?.line, col: p?.col };
    }),
  };
}

/**
 * Terminal columns a code point takes: 2 for East Asian wide and emoji ranges, 0 for combining
 * marks, else 1. An approximation of wcwidth, enough to keep carets under the right text.
 */
function cellWidth(cp: number): number {
  if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

function frame(f: SourceFile, span: Span): string {
  const start = f.position(span.start);
  const end = f.position(Math.max(span.start, span.end));
  const text = f.lineText(start.line);
  const cps = [...text];
  const gutter = String(start.line).length;
  const pad = " ".repeat(gutter);
  // Tabs stay tabs and wide characters count double in the caret line, so the caret lines up.
  const prefix = cps.slice(0, start.col - 1).map((c) => (c === "\t" ? "\t" : " ".repeat(cellWidth(c.codePointAt(0)!)))).join("");
  const last = end.line === start.line ? end.col - 1 : cps.length;
  const underlined = cps.slice(start.col - 1, Math.max(start.col, last)).reduce((n, c) => n + (c === "\t" ? 1 : cellWidth(c.codePointAt(0)!)), 0);
  return `${pad} |\n${start.line} | ${text}\n${pad} | ${prefix}${"^".repeat(Math.max(1, underlined))}`;
}

export function renderDiagnostic(d: Diagnostic, files: readonly SourceFile[]): string {
  const f = fileOf(files, d.span);
  const p = f?.position(d.span.start) ?? { line: 0, col: 0 };
  const lines = [`${f?.path ?? "<unknown>"}:${p.line}:${p.col}: ${d.severity}[${d.code}]: ${d.message}`];
  if (f) lines.push(frame(f, d.span));
  for (const n of d.notes) {
    if (n.span) {
      const nf = fileOf(files, n.span);
      const np = nf?.position(n.span.start);
      lines.push(`  note: ${nf?.path ?? "<unknown>"}:${np?.line ?? 0}:${np?.col ?? 0}: ${n.message}`);
      if (nf && nf.id >= 0) lines.push(frame(nf, n.span).replace(/^/gm, "  "));
    } else lines.push(`  note: ${n.message}`);
  }
  return lines.join("\n");
}

export function renderDiagnostics(ds: readonly Diagnostic[], files: readonly SourceFile[]): string {
  const errors = ds.filter((d) => d.severity === "error").length;
  const warnings = ds.length - errors;
  const body = ds.map((d) => renderDiagnostic(d, files)).join("\n\n");
  const summary = `${errors} error${errors === 1 ? "" : "s"}${warnings > 0 ? `, ${warnings} warning${warnings === 1 ? "" : "s"}` : ""}`;
  return ds.length === 0 ? "" : `${body}\n\n${summary}`;
}

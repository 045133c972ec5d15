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

function frame(f: SourceFile, span: Span): string {
  const start = f.position(span.start);
  const end = f.position(Math.max(span.start, span.end));
  const text = f.lineText(start.line);
  const gutter = String(start.line).length;
  const width = end.line === start.line ? Math.max(1, end.col - start.col) : Math.max(1, [...text].length - start.col + 1);
  const pad = " ".repeat(gutter);
  // Tabs keep their width in the caret line so the caret lines up.
  const prefix = [...text].slice(0, start.col - 1).map((c) => (c === "\t" ? "\t" : " ")).join("");
  return `${pad} |\n${start.line} | ${text}\n${pad} | ${prefix}${"^".repeat(width)}`;
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

/**
 * Source files and spans. A span is a half-open range of UTF-16 offsets in one file; lines
 * and 1-based code-point columns are computed only when a diagnostic is rendered.
 */
export type Span = { readonly file: number; readonly start: number; readonly end: number };

export class SourceFile {
  /** UTF-16 offset of the start of each line. */
  private readonly lineStarts: number[];

  constructor(
    readonly id: number,
    readonly path: string,
    readonly text: string,
  ) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) starts.push(i + 1);
    }
    this.lineStarts = starts;
  }

  /** 1-based line and 1-based code-point column of a UTF-16 offset. */
  position(offset: number): { line: number; col: number } {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    const start = this.lineStarts[lo]!;
    let col = 1;
    for (let i = start; i < o; i++) {
      const c = this.text.charCodeAt(i);
      // A surrogate pair is one code point.
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < o) {
        const d = this.text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) i++;
      }
      col++;
    }
    return { line: lo + 1, col };
  }

  lineText(line: number): string {
    const start = this.lineStarts[line - 1];
    if (start === undefined) return "";
    const next = this.lineStarts[line];
    let end = next === undefined ? this.text.length : next - 1;
    if (end > start && this.text.charCodeAt(end - 1) === 13) end--;
    return this.text.slice(start, end);
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }
}

export function spanJoin(a: Span, b: Span): Span {
  return { file: a.file, start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

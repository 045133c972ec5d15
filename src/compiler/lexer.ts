/**
 * Lexer: source text → tokens (language.md §1, rules.md [38], [39]).
 *
 * Newlines are tokens (consecutive ones collapse); the parser decides where they end a
 * statement (rules.md [14]). A string literal is one token whose parts are text and the
 * token lists of its `{…}` interpolations, lexed recursively with brace-depth tracking.
 */
import { INT_MAX } from "../base/limits.ts";
import { DiagnosticBag } from "./diagnostics.ts";
import type { Span } from "./source.ts";

export const KEYWORDS = new Set([
  "domain", "state", "transition", "slice", "goal", "invariant", "via", "priority", "effect",
  "capability", "type", "enum", "fn", "let", "var", "if", "else", "match", "for", "in",
  "return", "fail", "assert", "emit", "await", "send", "after", "self", "none", "true", "false",
]);

/** Word operators that are not reserved keywords but act as operators. */
export const CONTEXTUAL = new Set(["as"]);

export type StringPart = string | { readonly tokens: Token[]; readonly span: Span };

export type Token =
  | { readonly kind: "ident"; readonly text: string; readonly span: Span }
  | { readonly kind: "keyword"; readonly text: string; readonly span: Span }
  | { readonly kind: "punct"; readonly text: string; readonly span: Span }
  | { readonly kind: "int"; readonly value: number; readonly text: string; readonly span: Span }
  | { readonly kind: "float"; readonly value: number; readonly text: string; readonly span: Span }
  | { readonly kind: "duration"; readonly value: number; readonly text: string; readonly span: Span }
  | { readonly kind: "string"; readonly parts: readonly StringPart[]; readonly text: string; readonly span: Span }
  | { readonly kind: "newline"; readonly text: "\n"; readonly span: Span }
  | { readonly kind: "eof"; readonly text: ""; readonly span: Span };

export type TokenKind = Token["kind"];

const PUNCT3 = ["..="];
const PUNCT2 = ["..", "->", "=>", "==", "!=", "<=", ">=", "+=", "-=", "*=", "&&", "||", "??"];
const PUNCT1 = "()[]{},;:.=<>+-*/%!?@";

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function lex(text: string, file: number, diags: DiagnosticBag): Token[] {
  const lx = new Lexer(text, file, diags);
  const out = lx.run(text.length, false);
  return out;
}

class Lexer {
  pos = 0;
  constructor(
    readonly src: string,
    readonly file: number,
    readonly diags: DiagnosticBag,
  ) {}

  span(start: number, end = this.pos): Span {
    return { file: this.file, start, end };
  }

  /**
   * Lexes until `end`, or — inside an interpolation — until the `}` that closes it at brace
   * depth 0 (then `pos` is left on that `}`).
   */
  run(end: number, interpolation: boolean): Token[] {
    const toks: Token[] = [];
    const src = this.src;
    let depth = 0;
    const pushNewline = (at: number) => {
      const last = toks[toks.length - 1];
      if (last !== undefined && last.kind !== "newline") toks.push({ kind: "newline", text: "\n", span: this.span(at, at + 1) });
    };
    while (this.pos < end) {
      const c = src.charCodeAt(this.pos);
      if (c === 10) {
        if (interpolation) {
          // Interpolations live on one line; treat the newline as the end of the string.
          break;
        }
        pushNewline(this.pos);
        this.pos++;
        continue;
      }
      if (c === 32 || c === 9 || c === 13 || c === 0xfeff) {
        this.pos++;
        continue;
      }
      if (c === 47 && src.charCodeAt(this.pos + 1) === 47) {
        while (this.pos < end && src.charCodeAt(this.pos) !== 10) this.pos++;
        continue;
      }
      if (c === 47 && src.charCodeAt(this.pos + 1) === 42) {
        const start = this.pos;
        const close = src.indexOf("*/", this.pos + 2);
        if (close < 0 || close >= end) {
          this.diags.add("LX0006", this.span(start, start + 2), "unterminated block comment (block comments do not nest)");
          this.pos = end;
          continue;
        }
        // A newline inside a comment still separates statements.
        if (src.slice(this.pos, close).includes("\n")) pushNewline(this.pos);
        this.pos = close + 2;
        continue;
      }
      const start = this.pos;
      if (isIdentStart(c)) {
        while (this.pos < end && isIdentPart(src.charCodeAt(this.pos))) this.pos++;
        const word = src.slice(start, this.pos);
        toks.push({ kind: KEYWORDS.has(word) ? "keyword" : "ident", text: word, span: this.span(start) });
        continue;
      }
      if (isDigit(c)) {
        toks.push(this.number(end));
        continue;
      }
      if (c === 34) {
        const str = this.string(end);
        // An unterminated string inside an interpolation is the enclosing string's closing
        // quote: the author forgot the interpolation's `}` (reported by the enclosing string).
        if (str === null) break;
        toks.push(str);
        continue;
      }
      if (interpolation) {
        if (c === 123) depth++;
        if (c === 125) {
          if (depth === 0) return toks;
          depth--;
        }
      }
      const three = src.slice(this.pos, this.pos + 3);
      const two = src.slice(this.pos, this.pos + 2);
      if (PUNCT3.includes(three)) {
        this.diags.add("LX0001", this.span(start, start + 3), "unexpected `..=`: ranges are half-open, write `a..b`");
        // Recover as `..` so the rest of the loop head parses.
        this.pos += 3;
        toks.push({ kind: "punct", text: "..", span: this.span(start) });
        continue;
      }
      if (PUNCT2.includes(two)) {
        this.pos += 2;
        toks.push({ kind: "punct", text: two, span: this.span(start) });
        continue;
      }
      if (PUNCT1.includes(src[this.pos]!)) {
        this.pos++;
        toks.push({ kind: "punct", text: src[start]!, span: this.span(start) });
        continue;
      }
      // Unknown character: report it once per run of unknown characters.
      const cp = src.codePointAt(this.pos)!;
      const width = cp > 0xffff ? 2 : 1;
      this.diags.add("LX0001", this.span(start, start + width), `unexpected character ${JSON.stringify(String.fromCodePoint(cp))}`);
      this.pos += width;
    }
    if (!interpolation) toks.push({ kind: "eof", text: "", span: this.span(end, end) });
    return toks;
  }

  number(end: number): Token {
    const src = this.src;
    const start = this.pos;
    let isFloat = false;
    let value: number;
    if (src.charCodeAt(this.pos) === 48 && (src[this.pos + 1] === "x" || src[this.pos + 1] === "X")) {
      this.pos += 2;
      const digitsStart = this.pos;
      while (this.pos < end && /[0-9a-fA-F_]/.test(src[this.pos]!)) this.pos++;
      const digits = src.slice(digitsStart, this.pos);
      if (digits.replace(/_/g, "") === "" || digits.startsWith("_") || digits.endsWith("_") || digits.includes("__")) {
        this.diags.add("LX0004", this.span(start), "malformed hexadecimal literal");
        return { kind: "int", value: 0, text: src.slice(start, this.pos), span: this.span(start) };
      }
      value = parseInt(digits.replace(/_/g, ""), 16);
    } else {
      this.digits(end);
      if (src[this.pos] === "." && isDigit(src.charCodeAt(this.pos + 1))) {
        isFloat = true;
        this.pos++;
        this.digits(end);
      }
      if ((src[this.pos] === "e" || src[this.pos] === "E") && (isDigit(src.charCodeAt(this.pos + 1)) || ((src[this.pos + 1] === "-" || src[this.pos + 1] === "+") && isDigit(src.charCodeAt(this.pos + 2))))) {
        isFloat = true;
        this.pos += src[this.pos + 1] === "-" || src[this.pos + 1] === "+" ? 2 : 1;
        this.digits(end);
      }
      const raw = src.slice(start, this.pos);
      if (/__|_$|_\.|\._|_e|e_/i.test(raw)) {
        this.diags.add("LX0004", this.span(start), "malformed number literal: `_` must separate digits");
      }
      value = Number(raw.replace(/_/g, ""));
    }
    // A unit suffix makes a duration; any other letters glued to a number are an error.
    if (this.pos < end && isIdentStart(src.charCodeAt(this.pos))) {
      const unitStart = this.pos;
      while (this.pos < end && isIdentPart(src.charCodeAt(this.pos))) this.pos++;
      const unit = src.slice(unitStart, this.pos);
      const mult = DURATION_UNITS[unit];
      const text = src.slice(start, this.pos);
      if (mult === undefined) {
        this.diags.add("LX0008", this.span(unitStart), `unknown duration unit \`${unit}\` (use ms, s, m, h or d)`);
        return { kind: "duration", value: 0, text, span: this.span(start) };
      }
      if (isFloat) {
        this.diags.add("LX0004", this.span(start), `durations are integers: write \`${text}\` in a smaller unit (e.g. 1_500ms, not 1.5s)`);
        return { kind: "duration", value: 0, text, span: this.span(start) };
      }
      const ms = value * mult;
      if (!Number.isSafeInteger(ms)) {
        this.diags.add("LX0005", this.span(start), `duration ${text} is out of range`);
        return { kind: "duration", value: 0, text, span: this.span(start) };
      }
      return { kind: "duration", value: ms, text, span: this.span(start) };
    }
    const text = src.slice(start, this.pos);
    if (isFloat) {
      if (!Number.isFinite(value)) {
        this.diags.add("LX0004", this.span(start), `float literal ${text} is out of range`);
        value = 0;
      }
      return { kind: "float", value, text, span: this.span(start) };
    }
    if (!(value <= INT_MAX)) {
      this.diags.add("LX0005", this.span(start), `integer literal ${text} is out of range (±(2^53−1))`);
      value = 0;
    }
    return { kind: "int", value, text, span: this.span(start) };
  }

  digits(end: number): void {
    while (this.pos < end) {
      const c = this.src.charCodeAt(this.pos);
      if (isDigit(c) || c === 95) this.pos++;
      else break;
    }
  }

  /** Depth of interpolations being lexed (0 at top level). */
  private interpDepth = 0;

  /** A string literal; null (with `pos` left on the quote) for an unterminated one inside an interpolation. */
  string(end: number): Token | null {
    const src = this.src;
    const start = this.pos;
    this.pos++; // opening quote
    const parts: StringPart[] = [];
    let buf = "";
    while (true) {
      if (this.pos >= end || src.charCodeAt(this.pos) === 10) {
        if (this.interpDepth > 0) {
          this.pos = start;
          return null;
        }
        this.diags.add("LX0002", this.span(start, start + 1), "unterminated string literal");
        break;
      }
      const ch = src[this.pos]!;
      if (ch === '"') {
        this.pos++;
        break;
      }
      if (ch === "\\") {
        const escStart = this.pos;
        const next = src[this.pos + 1];
        this.pos += 2;
        switch (next) {
          case "n": buf += "\n"; break;
          case "t": buf += "\t"; break;
          case "r": buf += "\r"; break;
          case '"': buf += '"'; break;
          case "\\": buf += "\\"; break;
          case "{": buf += "{"; break;
          case "}": buf += "}"; break;
          case "u": {
            const m = /^\{([0-9a-fA-F]{1,6})\}/.exec(src.slice(this.pos, Math.min(end, this.pos + 8)));
            const cp = m ? parseInt(m[1]!, 16) : -1;
            if (!m || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
              // Skip a braced part on this line too, so `{D800}` is not read as an interpolation.
              const close = src[this.pos] === "{" ? src.indexOf("}", this.pos) : -1;
              const nl = src.indexOf("\n", this.pos);
              const stop = close >= 0 && close < end && (nl < 0 || close < nl) && close - this.pos <= 12 ? close + 1 : this.pos;
              this.diags.add("LX0003", this.span(escStart, stop), "invalid \\u escape: write \\u{…} with 1–6 hex digits naming a Unicode scalar value");
              this.pos = stop;
            } else {
              buf += String.fromCodePoint(cp);
              this.pos += m[0].length;
            }
            break;
          }
          default:
            this.diags.add("LX0003", this.span(escStart, Math.min(this.pos, end)), `invalid escape sequence \\${next ?? ""} (valid: \\n \\t \\r \\" \\\\ \\{ \\} \\u{…})`);
        }
        continue;
      }
      if (ch === "{") {
        if (buf !== "") parts.push(buf);
        buf = "";
        const openAt = this.pos;
        this.pos++;
        this.interpDepth++;
        const inner = this.run(end, true);
        this.interpDepth--;
        if (src[this.pos] === "}") {
          parts.push({ tokens: inner, span: this.span(openAt + 1, this.pos) });
          this.pos++;
        } else {
          this.diags.add("LX0009", this.span(openAt, openAt + 1), "unterminated interpolation: `{` in a string needs a matching `}` (write `\\{` for a literal brace)");
          parts.push({ tokens: inner, span: this.span(openAt + 1, this.pos) });
          if (src[this.pos] === '"') this.pos++; // the string's own closing quote
          else if (this.pos < end && src.charCodeAt(this.pos) !== 10) this.pos = end;
          break;
        }
        continue;
      }
      if (ch === "}") {
        this.diags.add("LX0003", this.span(this.pos, this.pos + 1), "a literal `}` in a string must be written `\\}`");
        this.pos++;
        continue;
      }
      buf += ch;
      this.pos++;
    }
    if (buf !== "" || parts.length === 0) parts.push(buf);
    return { kind: "string", parts, text: src.slice(start, this.pos), span: this.span(start) };
  }
}

/** Decodes source bytes as strict UTF-8; on failure returns the offset of the first bad byte. */
export function decodeSourceBytes(bytes: Uint8Array): { text: string } | { badOffset: number } {
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
  } catch {
    // Find the first invalid byte by decoding growing prefixes in a linear scan.
    let i = 0;
    while (i < bytes.length) {
      const b = bytes[i]!;
      let n = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
      if (n === 0 || i + n > bytes.length) return { badOffset: i };
      try {
        new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(i, i + n));
      } catch {
        return { badOffset: i };
      }
      i += n;
    }
    return { badOffset: bytes.length };
  }
}

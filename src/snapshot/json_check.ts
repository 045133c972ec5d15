/**
 * An incremental JSON syntax checker (RFC 8259 grammar) for the state text a snapshot writer
 * receives in chunks. The writer never builds the whole text, so it cannot call JSON.parse;
 * this checks, chunk by chunk, that the concatenation is exactly one JSON object, so a
 * serialiser bug is caught by an assertion before a file that could never be read back is
 * made durable (STYLE.md §6: assert before encode, verify after decode).
 *
 * Also rejects raw lone surrogates inside strings: they cannot be encoded as UTF-8, and
 * TextEncoder would silently replace them with U+FFFD (a silent change of the state).
 * Chunk boundaries may fall anywhere, even inside a token or a surrogate pair.
 * Pure and deterministic; O(1) memory besides the nesting stack.
 */

const enum Mode {
  Start, // before the top-level value: whitespace then `{`
  Value, // a value is required (after `:` or `,` in an array)
  ValueOrEndArray, // just after `[`
  KeyOrEndObject, // just after `{`
  Key, // after `,` in an object
  Colon, // after a key
  CommaOrEnd, // after a value inside a container
  Done, // after the top-level value: only whitespace
  String,
  StringEscape,
  StringUnicode, // inside \uXXXX; `hexLeft` digits to go
  Number,
  Literal, // inside true/false/null; `literal`/`literalPos`
  Failed,
}

const enum Num {
  Minus, // after `-`: a digit is required
  Zero, // after a leading `0`
  Int, // in integer digits (not leading zero)
  Dot, // after `.`: a digit is required
  Frac, // in fraction digits
  Exp, // after e/E: sign or digit
  ExpSign, // after the exponent's sign: a digit is required
  ExpInt, // in exponent digits
}

const OBJECT = 1;
const ARRAY = 2;

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}
function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

export class JsonObjectChecker {
  private mode: Mode = Mode.Start;
  private readonly stack: number[] = [];
  private stringIsKey = false;
  private highSurrogatePending = false;
  private hexLeft = 0;
  private num: Num = Num.Minus;
  private literal = "";
  private literalPos = 0;
  private offset = 0; // characters consumed before the current chunk
  private error: string | null = null;

  /** Feeds the next piece of text. Errors are remembered and reported by `end()`. */
  feed(text: string): void {
    if (this.mode === Mode.Failed) return;
    const n = text.length;
    let i = 0;
    while (i < n) {
      const c = text.charCodeAt(i);
      switch (this.mode) {
        case Mode.String: {
          // Hot loop: plain characters.
          let j = i;
          for (; j < n; j++) {
            const d = text.charCodeAt(j);
            if (this.highSurrogatePending) {
              if (d < 0xdc00 || d > 0xdfff) return this.fail(this.offset + j, "lone high surrogate in string");
              this.highSurrogatePending = false;
              continue;
            }
            if (d === 0x22 || d === 0x5c || d < 0x20) break;
            if (d >= 0xd800 && d <= 0xdfff) {
              if (d >= 0xdc00) return this.fail(this.offset + j, "lone low surrogate in string");
              this.highSurrogatePending = true;
            }
          }
          i = j;
          if (i >= n) break;
          const d = text.charCodeAt(i);
          if (d === 0x22) {
            this.mode = this.stringIsKey ? Mode.Colon : this.afterValue();
          } else if (d === 0x5c) {
            this.mode = Mode.StringEscape;
          } else {
            return this.fail(this.offset + i, "control character in string");
          }
          i++;
          break;
        }
        case Mode.StringEscape:
          if (c === 0x75) {
            this.mode = Mode.StringUnicode;
            this.hexLeft = 4;
          } else if (
            c === 0x22 || c === 0x5c || c === 0x2f || c === 0x62 || c === 0x66 || c === 0x6e || c === 0x72 || c === 0x74
          ) {
            this.mode = Mode.String;
          } else {
            return this.fail(this.offset + i, "bad escape in string");
          }
          i++;
          break;
        case Mode.StringUnicode:
          if (!isHex(c)) return this.fail(this.offset + i, "bad \\u escape in string");
          if (--this.hexLeft === 0) this.mode = Mode.String;
          i++;
          break;
        case Mode.Number:
          if (this.numberStep(c)) {
            i++;
          } else {
            // The number ended: `c` belongs to what follows (not consumed here).
            if (this.num === Num.Minus || this.num === Num.Dot || this.num === Num.Exp || this.num === Num.ExpSign) {
              return this.fail(this.offset + i, "incomplete number");
            }
            this.mode = this.afterValue();
          }
          break;
        case Mode.Literal:
          if (c !== this.literal.charCodeAt(this.literalPos)) return this.fail(this.offset + i, "bad literal");
          if (++this.literalPos === this.literal.length) this.mode = this.afterValue();
          i++;
          break;
        case Mode.Start:
          if (isWs(c)) {
            i++;
            break;
          }
          if (c !== 0x7b) return this.fail(this.offset + i, "the state must be a JSON object");
          this.stack.push(OBJECT);
          this.mode = Mode.KeyOrEndObject;
          i++;
          break;
        case Mode.Value:
        case Mode.ValueOrEndArray:
          if (isWs(c)) {
            i++;
            break;
          }
          if (c === 0x5d && this.mode === Mode.ValueOrEndArray) {
            this.stack.pop();
            this.mode = this.afterValue();
            i++;
            break;
          }
          if (!this.beginValue(c)) return this.fail(this.offset + i, "expected a value");
          i++;
          break;
        case Mode.KeyOrEndObject:
        case Mode.Key:
          if (isWs(c)) {
            i++;
            break;
          }
          if (c === 0x7d && this.mode === Mode.KeyOrEndObject) {
            this.stack.pop();
            this.mode = this.afterValue();
          } else if (c === 0x22) {
            this.mode = Mode.String;
            this.stringIsKey = true;
          } else {
            return this.fail(this.offset + i, "expected a key");
          }
          i++;
          break;
        case Mode.Colon:
          if (isWs(c)) {
            i++;
            break;
          }
          if (c !== 0x3a) return this.fail(this.offset + i, "expected ':'");
          this.mode = Mode.Value;
          i++;
          break;
        case Mode.CommaOrEnd: {
          if (isWs(c)) {
            i++;
            break;
          }
          const top = this.stack[this.stack.length - 1];
          if (c === 0x2c) {
            this.mode = top === OBJECT ? Mode.Key : Mode.Value;
          } else if ((c === 0x7d && top === OBJECT) || (c === 0x5d && top === ARRAY)) {
            this.stack.pop();
            this.mode = this.afterValue();
          } else {
            return this.fail(this.offset + i, "expected ',' or the end of the container");
          }
          i++;
          break;
        }
        case Mode.Done:
          if (!isWs(c)) return this.fail(this.offset + i, "text after the JSON object");
          i++;
          break;
        case Mode.Failed:
          return;
      }
    }
    this.offset += n;
  }

  /** Ends the text: null when it was exactly one JSON object, else a message with an offset. */
  end(): string | null {
    if (this.mode === Mode.Failed) return this.error;
    if (this.mode === Mode.Number && (this.num === Num.Zero || this.num === Num.Int || this.num === Num.Frac || this.num === Num.ExpInt)) {
      this.mode = this.afterValue();
    }
    if (this.mode !== Mode.Done) {
      this.fail(this.offset, "unexpected end of the state text");
      return this.error;
    }
    return null;
  }

  private fail(at: number, what: string): void {
    this.mode = Mode.Failed;
    this.error = `${what} at character ${at}`;
  }

  private afterValue(): Mode {
    return this.stack.length === 0 ? Mode.Done : Mode.CommaOrEnd;
  }

  private beginValue(c: number): boolean {
    switch (c) {
      case 0x7b: // {
        this.stack.push(OBJECT);
        this.mode = Mode.KeyOrEndObject;
        return true;
      case 0x5b: // [
        this.stack.push(ARRAY);
        this.mode = Mode.ValueOrEndArray;
        return true;
      case 0x22: // "
        this.mode = Mode.String;
        this.stringIsKey = false;
        return true;
      case 0x74: // t
        return this.beginLiteral("true");
      case 0x66: // f
        return this.beginLiteral("false");
      case 0x6e: // n
        return this.beginLiteral("null");
      case 0x2d: // -
        this.mode = Mode.Number;
        this.num = Num.Minus;
        return true;
      default:
        if (!isDigit(c)) return false;
        this.mode = Mode.Number;
        this.num = c === 0x30 ? Num.Zero : Num.Int;
        return true;
    }
  }

  private beginLiteral(word: string): boolean {
    this.mode = Mode.Literal;
    this.literal = word;
    this.literalPos = 1;
    return true;
  }

  /** Consumes `c` as part of the current number when it can be; false when the number ended. */
  private numberStep(c: number): boolean {
    switch (this.num) {
      case Num.Minus:
        if (!isDigit(c)) return false;
        this.num = c === 0x30 ? Num.Zero : Num.Int;
        return true;
      case Num.Zero:
      case Num.Int:
        if (isDigit(c) && this.num === Num.Int) return true;
        if (c === 0x2e) {
          this.num = Num.Dot;
          return true;
        }
        if (c === 0x65 || c === 0x45) {
          this.num = Num.Exp;
          return true;
        }
        return false;
      case Num.Dot:
        if (!isDigit(c)) return false;
        this.num = Num.Frac;
        return true;
      case Num.Frac:
        if (isDigit(c)) return true;
        if (c === 0x65 || c === 0x45) {
          this.num = Num.Exp;
          return true;
        }
        return false;
      case Num.Exp:
        if (c === 0x2b || c === 0x2d) {
          this.num = Num.ExpSign;
          return true;
        }
        if (!isDigit(c)) return false;
        this.num = Num.ExpInt;
        return true;
      case Num.ExpSign:
        if (!isDigit(c)) return false;
        this.num = Num.ExpInt;
        return true;
      case Num.ExpInt:
        return isDigit(c);
    }
  }
}

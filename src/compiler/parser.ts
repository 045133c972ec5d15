/**
 * Parser: tokens → syntax tree, with error recovery so one run reports every error in a file
 * (language.md §4, rules.md [13], [14], [21]).
 *
 * Recovery: a syntax error throws `Bail` after reporting; statement, member and declaration
 * loops catch it and skip to the next statement/member/declaration boundary. Unclosed
 * delimiters are reported at the opener with a note where the mismatch was found.
 */
import { PARSE_DEPTH_MAX } from "../base/limits.ts";
import type * as A from "./ast.ts";
import type { DiagnosticBag, DiagCode, Note } from "./diagnostics.ts";
import type { Token } from "./lexer.ts";
import { spanJoin, type Span, type SourceFile } from "./source.ts";

class Bail extends Error {}

const CMP_OPS = new Set(["==", "!=", "<", "<=", ">", ">="]);
const ASSIGN_OPS = new Set(["=", "+=", "-=", "*="]);
const DECL_START = new Set(["domain", "type", "enum", "effect", "fn"]);
/** Keywords that start a statement or declaration: seeing one where a closer is expected means the opener was never closed. */
const STMT_START = new Set(["let", "var", "if", "match", "for", "return", "fail", "assert", "emit", "send", "slice", "transition", "fn", "domain", "type", "enum", "effect", "goal", "invariant"]);

export function parseFile(tokens: Token[], src: SourceFile, diags: DiagnosticBag, opts: { prelude?: boolean } = {}): A.FileAst {
  const p = new Parser(tokens, src, diags, opts.prelude ?? false);
  return p.file();
}

class Parser {
  private i = 0;
  /** >0 inside (), [] and literal braces: newlines are insignificant there. */
  private nlIgnore = 0;
  /** true in the head of if/for/match: `Name {` ends the expression (rules.md [1]). */
  private noRecord = false;
  private depth = 0;
  /** An unclosed opener was reported at the end of the file (enclosing ones are not reported again). */
  private unclosedAtEof = false;

  constructor(
    private toks: Token[],
    private readonly src: SourceFile,
    private readonly diags: DiagnosticBag,
    private readonly prelude: boolean,
  ) {}

  // ------------------------------------------------------------ token helpers

  private peekRaw(): Token {
    return this.toks[this.i]!;
  }

  private peek(): Token {
    if (this.nlIgnore > 0) this.skipNewlines();
    return this.toks[this.i]!;
  }

  /** The token after the current one (newlines skipped only inside brackets). */
  private peekAt(n: number): Token {
    let j = this.i;
    let seen = 0;
    while (true) {
      const t = this.toks[j]!;
      if (t.kind === "eof") return t;
      if (t.kind === "newline" && this.nlIgnore > 0) {
        j++;
        continue;
      }
      if (seen === n) return t;
      seen++;
      j++;
    }
  }

  private skipNewlines(): void {
    while (this.toks[this.i]!.kind === "newline") this.i++;
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== "eof") this.i++;
    return t;
  }

  private is(text: string): boolean {
    const t = this.peek();
    return (t.kind === "punct" || t.kind === "keyword") && t.text === text;
  }

  private isIdent(text?: string): boolean {
    const t = this.peek();
    return t.kind === "ident" && (text === undefined || t.text === text);
  }

  private eat(text: string): boolean {
    if (this.is(text)) {
      this.next();
      return true;
    }
    return false;
  }

  private error(code: DiagCode, span: Span, message?: string, notes: Note[] = []): never {
    this.diags.add(code, span, message, notes);
    throw new Bail();
  }

  private describe(t: Token): string {
    switch (t.kind) {
      case "eof": return "end of file";
      case "newline": return "end of line";
      case "string": return "a string";
      case "int": case "float": case "duration": return `\`${t.text}\``;
      default: return `\`${t.text}\``;
    }
  }

  private expect(text: string, what?: string): Token {
    const t = this.peek();
    if ((t.kind === "punct" || t.kind === "keyword") && t.text === text) return this.next();
    this.error("LX0101", t.span, `expected ${what ?? `\`${text}\``}, found ${this.describe(t)}`);
  }

  /**
   * Expects a closing delimiter; reports an unclosed opener (rules.md [13]) when something else
   * is found that cannot continue the bracketed part: the end of the file, another closer, a
   * statement keyword, or anything on a later line. In the last case the parser resumes at that
   * line break as if the closer had been there, so the statements that follow still parse.
   */
  private expectClose(close: string, open: Token): Token {
    const t = this.peek();
    if (t.kind === "punct" && t.text === close) return this.next();
    let j = this.i - 1;
    while (j >= 0 && this.toks[j]!.kind === "newline") j--;
    const lineBreakBefore = j < this.i - 1;
    const unclosed = (): void => {
      // Once the end of the file is reached unclosed, every enclosing opener is unclosed too: one report is enough.
      if (t.kind === "eof" && this.unclosedAtEof) return;
      if (t.kind === "eof") this.unclosedAtEof = true;
      this.diags.add("LX0102", open.span, `unclosed \`${open.text}\``, [{ message: `expected \`${close}\` but found ${this.describe(t)}`, span: t.span }]);
    };
    if (lineBreakBefore && t.kind !== "eof" && !(t.kind === "punct" && (t.text === ")" || t.text === "]" || t.text === "}"))) {
      unclosed();
      this.i = j + 1;
      return { kind: "punct", text: close, span: { file: t.span.file, start: this.toks[j + 1]!.span.start, end: this.toks[j + 1]!.span.start } };
    }
    if (t.kind === "eof" || (t.kind === "punct" && (t.text === ")" || t.text === "]" || t.text === "}")) || (t.kind === "keyword" && STMT_START.has(t.text))) {
      unclosed();
      throw new Bail();
    }
    this.error("LX0101", t.span, `expected \`${close}\` or \`,\`, found ${this.describe(t)}`);
  }

  private ident(what = "a name"): A.Ident {
    const t = this.peek();
    if (t.kind === "ident") {
      this.next();
      return { name: t.text, span: t.span };
    }
    if (t.kind === "keyword") this.error("LX0216", t.span, `\`${t.text}\` is a reserved keyword and cannot be used as ${what}`);
    this.error("LX0101", t.span, `expected ${what}, found ${this.describe(t)}`);
  }

  /** A name where keywords are allowed (after `.`, record fields, argument labels: rules.md [12]). */
  private identOrKeyword(what = "a name"): A.Ident {
    const t = this.peek();
    if (t.kind === "ident" || t.kind === "keyword") {
      this.next();
      return { name: t.text, span: t.span };
    }
    this.error("LX0101", t.span, `expected ${what}, found ${this.describe(t)}`);
  }

  /** End of a statement or member: newline, `;`, or a following `}` / end of file. */
  private endOfStatement(): void {
    const t = this.peekRaw();
    if (t.kind === "newline") {
      this.i++;
      return;
    }
    if (t.kind === "punct" && t.text === ";") {
      this.i++;
      return;
    }
    if ((t.kind === "punct" && t.text === "}") || t.kind === "eof") return;
    this.error("LX0101", t.span, `expected end of statement, found ${this.describe(t)}`);
  }

  private separators(): void {
    while (true) {
      const t = this.peekRaw();
      if (t.kind === "newline" || (t.kind === "punct" && (t.text === ";" || t.text === ","))) this.i++;
      else return;
    }
  }

  /** Skips to the end of the current statement without consuming a closing `}`. */
  private syncStatement(): void {
    let depth = 0;
    while (true) {
      const t = this.toks[this.i]!;
      if (t.kind === "eof") return;
      if (t.kind === "punct") {
        if (t.text === "(" || t.text === "[" || t.text === "{") depth++;
        else if (t.text === ")" || t.text === "]") depth = Math.max(0, depth - 1);
        else if (t.text === "}") {
          if (depth === 0) return;
          depth--;
          this.i++;
          if (depth === 0) {
            // A block just closed: the statement it belonged to ends here.
            const n = this.toks[this.i]!;
            if (n.kind === "newline") return;
          }
          continue;
        } else if (t.text === ";" && depth === 0) {
          this.i++;
          return;
        }
      }
      if (t.kind === "newline" && depth === 0) {
        this.i++;
        return;
      }
      this.i++;
    }
  }

  /** Skips to the next top-level declaration keyword. */
  private syncDecl(): void {
    let depth = 0;
    while (true) {
      const t = this.toks[this.i]!;
      if (t.kind === "eof") return;
      if (t.kind === "punct" && (t.text === "{" || t.text === "(" || t.text === "[")) depth++;
      if (t.kind === "punct" && (t.text === "}" || t.text === ")" || t.text === "]")) depth = Math.max(0, depth - 1);
      if (depth === 0 && t.kind === "keyword" && DECL_START.has(t.text)) {
        const prev = this.toks[this.i - 1];
        if (prev === undefined || prev.kind === "newline" || (prev.kind === "punct" && prev.text === "}")) return;
      }
      if (depth === 0 && t.kind === "punct" && t.text === "@") return;
      this.i++;
    }
  }

  private enter(span: Span): void {
    if (++this.depth > PARSE_DEPTH_MAX) {
      // The caller's `finally { leave() }` is not reached for this level: undo it here.
      this.depth--;
      this.error("LX0112", span, `nesting deeper than ${PARSE_DEPTH_MAX} levels`);
    }
  }
  private leave(): void {
    this.depth--;
  }

  private withNl<T>(f: () => T): T {
    this.nlIgnore++;
    const saved = this.noRecord;
    this.noRecord = false;
    try {
      return f();
    } finally {
      this.nlIgnore--;
      this.noRecord = saved;
    }
  }

  private withoutNl<T>(f: () => T): T {
    const saved = this.nlIgnore;
    this.nlIgnore = 0;
    try {
      return f();
    } finally {
      this.nlIgnore = saved;
    }
  }

  private spanFrom(start: Span): Span {
    const prev = this.toks[Math.max(0, this.i - 1)]!;
    return spanJoin(start, prev.span);
  }

  // ------------------------------------------------------------ declarations

  file(): A.FileAst {
    const decls: A.Decl[] = [];
    while (true) {
      this.separators();
      const t = this.peek();
      if (t.kind === "eof") break;
      const before = this.i;
      try {
        decls.push(this.decl());
      } catch (e) {
        if (!(e instanceof Bail)) throw e;
        if (this.i === before) this.i++;
        this.syncDecl();
      }
    }
    return { file: this.src.id, decls };
  }

  private decl(): A.Decl {
    const t = this.peek();
    if (t.kind === "punct" && t.text === "@") {
      const at = this.next();
      const name = this.ident("an annotation");
      if (name.name !== "fuel") this.error("LX0113", name.span, `unknown top-level annotation \`@${name.name}\` (only \`@fuel(N)\` is allowed here)`);
      const open = this.expect("(");
      const v = this.peek();
      if (v.kind !== "int") this.error("LX0101", v.span, "`@fuel` takes an integer literal");
      this.next();
      this.expectClose(")", open);
      return { kind: "FuelDecl", value: v.value, span: this.spanFrom(at.span) };
    }
    if (t.kind === "keyword") {
      switch (t.text) {
        case "type": return this.typeDecl();
        case "enum": return this.enumDecl();
        case "effect": return this.effectDecl();
        case "fn": return this.fnDecl();
        case "domain": return this.domainDecl();
        case "transition": this.error("LX0105", t.span, "`transition` must be declared inside a domain");
      }
    }
    this.error("LX0105", t.span, `expected a declaration (type, enum, effect, fn, domain), found ${this.describe(t)}`);
  }

  private fieldList(open: Token): A.FieldDecl[] {
    const fields: A.FieldDecl[] = [];
    while (true) {
      this.separators();
      if (this.peekRaw().kind === "eof" || this.is("}")) break;
      const name = this.identOrKeyword("a field name");
      this.expect(":");
      const type = this.type();
      fields.push({ name, type, span: spanJoin(name.span, type.span) });
      const n = this.peekRaw();
      if (!(n.kind === "newline" || (n.kind === "punct" && (n.text === "," || n.text === ";" || n.text === "}")))) {
        this.error("LX0101", n.span, `expected \`,\`, \`;\`, a newline or \`}\` after a field, found ${this.describe(n)}`);
      }
    }
    this.expectClose("}", open);
    return fields;
  }

  private typeDecl(): A.TypeDecl {
    const kw = this.next();
    const name = this.ident("a type name");
    const open = this.expect("{");
    const fields = this.fieldList(open);
    return { kind: "TypeDecl", name, fields, span: this.spanFrom(kw.span) };
  }

  private enumDecl(): A.EnumDecl {
    const kw = this.next();
    const name = this.ident("an enum name");
    const open = this.expect("{");
    const variants: A.EnumDecl["variants"][number][] = [];
    while (true) {
      this.separators();
      if (this.peekRaw().kind === "eof" || this.is("}")) break;
      const vname = this.ident("a variant name");
      let fields: A.FieldDecl[] = [];
      if (this.is("(")) {
        const popen = this.next();
        fields = this.withNl(() => {
          const fs: A.FieldDecl[] = [];
          while (!this.is(")") && this.peek().kind !== "eof") {
            const fname = this.identOrKeyword("a field name");
            this.expect(":");
            const type = this.type();
            fs.push({ name: fname, type, span: spanJoin(fname.span, type.span) });
            if (!this.eat(",")) break;
          }
          this.expectClose(")", popen);
          return fs;
        });
      }
      variants.push({ name: vname, fields, span: this.spanFrom(vname.span) });
    }
    this.expectClose("}", open);
    return { kind: "EnumDecl", name, variants, span: this.spanFrom(kw.span) };
  }

  private params(): A.Param[] {
    const open = this.expect("(");
    return this.withNl(() => {
      const ps: A.Param[] = [];
      while (!this.is(")") && this.peek().kind !== "eof") {
        const name = this.identOrKeyword("a parameter name");
        if (name.name === "self" || name.name === "state") this.diags.add("LX0216", name.span, `\`${name.name}\` cannot be a parameter name`);
        this.expect(":", "`:` and a parameter type");
        const type = this.type();
        ps.push({ name, type, span: spanJoin(name.span, type.span) });
        if (!this.eat(",")) break;
      }
      this.expectClose(")", open);
      return ps;
    });
  }

  private effectDecl(): A.EffectDecl {
    const kw = this.next();
    const ns = this.ident("an effect namespace (`Payments` in `Payments.charge`)");
    if (!this.is(".")) this.error("LX0220", ns.span, "an effect name must be `Namespace.operation`, e.g. `Payments.charge`");
    this.next();
    const name = this.identOrKeyword("an effect operation name");
    const params = this.params();
    let result: A.TypeExpr | null = null;
    if (this.eat("->")) result = this.type();
    const capabilities: A.Ident[] = [];
    let capabilitySpan: Span | null = null;
    let retries: A.EffectDecl["retries"] = null;
    let backoff: A.EffectDecl["backoff"] = null;
    let timeout: A.EffectDecl["timeout"] = null;
    if (this.is("{")) {
      const open = this.next();
      while (true) {
        this.separators();
        const t = this.peek();
        if (t.kind === "eof" || this.is("}")) break;
        const before = this.i;
        try {
          if (t.kind === "keyword" && t.text === "capability") {
            const kwc = this.next();
            capabilities.push(...this.capabilityNames());
            capabilitySpan = this.spanFrom(kwc.span);
          } else if (t.kind === "ident" && t.text === "retries") {
            this.next();
            const v = this.peek();
            if (v.kind !== "int") this.error("LX0508", v.span, "`retries` takes an integer literal");
            this.next();
            retries = { value: v.value, span: spanJoin(t.span, v.span) };
            if (this.isIdent("backoff")) continue;
          } else if (t.kind === "ident" && t.text === "backoff") {
            this.next();
            const lo = this.durationLit("backoff");
            this.expect("..", "`..` between the smallest and largest backoff");
            const hi = this.durationLit("backoff");
            backoff = { min: lo, max: hi, span: this.spanFrom(t.span) };
          } else if (t.kind === "ident" && t.text === "timeout") {
            this.next();
            const v = this.durationLit("timeout");
            timeout = { value: v, span: this.spanFrom(t.span) };
          } else {
            this.error("LX0508", t.span, `unexpected ${this.describe(t)} in an effect declaration (expected capability, retries, backoff or timeout)`);
          }
          this.endOfStatementOrComma();
        } catch (e) {
          if (!(e instanceof Bail)) throw e;
          if (this.i === before) this.i++;
          this.syncStatement();
        }
      }
      this.expectClose("}", open);
    }
    return { kind: "EffectDecl", ns, name, params, result, capabilities, capabilitySpan, retries, backoff, timeout, span: this.spanFrom(kw.span), prelude: this.prelude };
  }

  private endOfStatementOrComma(): void {
    if (this.peekRaw().kind === "punct" && this.peekRaw().text === ",") {
      this.i++;
      return;
    }
    this.endOfStatement();
  }

  private durationLit(what: string): number {
    const t = this.peek();
    if (t.kind === "duration" || t.kind === "int") {
      this.next();
      return t.value;
    }
    this.error("LX0508", t.span, `\`${what}\` takes a duration literal like \`200ms\` or \`10s\``);
  }

  private capabilityNames(): A.Ident[] {
    const names: A.Ident[] = [];
    const dotted = (): A.Ident => {
      const first = this.identOrKeyword("a capability name");
      let name = first.name;
      let span = first.span;
      while (this.peekRaw().kind === "punct" && this.peekRaw().text === ".") {
        this.next();
        const part = this.identOrKeyword("a capability name");
        name += "." + part.name;
        span = spanJoin(span, part.span);
      }
      return { name, span };
    };
    if (this.is("{")) {
      const open = this.next();
      while (true) {
        this.separators();
        if (this.is("}") || this.peek().kind === "eof") break;
        names.push(dotted());
      }
      this.expectClose("}", open);
    } else {
      names.push(dotted());
    }
    return names;
  }

  private fnDecl(): A.FnDecl {
    const kw = this.next();
    const name = this.ident("a function name");
    const params = this.params();
    let result: A.TypeExpr | null = null;
    if (this.eat("->")) result = this.type();
    const body = this.block(false);
    return { kind: "FnDecl", name, params, result, body, span: this.spanFrom(kw.span) };
  }

  private priorityName(): A.Ident {
    return this.ident("a priority (critical, high, normal, low, background)");
  }

  private domainDecl(): A.DomainDecl {
    const kw = this.next();
    const name = this.ident("a domain name");
    const open = this.expect("{");
    const capabilities: A.Ident[] = [];
    let priority: A.Ident | null = null;
    let state: A.StateField[] | null = null;
    let stateSpan: Span | null = null;
    const transitions: A.TransitionDecl[] = [];
    const fns: A.FnDecl[] = [];
    const goals: A.GoalDecl[] = [];
    const invariants: A.InvariantDecl[] = [];
    while (true) {
      this.separators();
      const t = this.peek();
      if (t.kind === "eof" || this.is("}")) break;
      const before = this.i;
      try {
        if (t.kind === "keyword") {
          switch (t.text) {
            case "capability":
              this.next();
              capabilities.push(...this.capabilityNames());
              this.endOfStatement();
              continue;
            case "priority":
              this.next();
              if (priority !== null) this.diags.add("LX0605", t.span, "the domain's priority is already declared");
              priority = this.priorityName();
              this.endOfStatement();
              continue;
            case "state": {
              this.next();
              if (state !== null) this.diags.add("LX0605", t.span, "the domain already has a `state` block");
              const sopen = this.expect("{");
              state = this.stateFields(sopen);
              stateSpan = this.spanFrom(t.span);
              continue;
            }
            case "invariant": {
              this.next();
              const iname = this.ident("an invariant name");
              const predicate = this.braced();
              invariants.push({ kind: "InvariantDecl", name: iname, predicate, span: this.spanFrom(t.span) });
              continue;
            }
            case "goal":
              goals.push(this.goalDecl());
              continue;
            case "transition":
              transitions.push(this.transitionDecl(null, t.span));
              continue;
            case "fn":
              fns.push(this.fnDecl());
              continue;
          }
        }
        if (t.kind === "punct" && t.text === "@") {
          const at = this.next();
          const ann = this.identOrKeyword("an annotation");
          if (ann.name !== "priority") this.error("LX0113", ann.span, `unknown annotation \`@${ann.name}\` (only \`@priority(level)\` is allowed on transitions)`);
          const popen = this.expect("(");
          const level = this.priorityName();
          this.expectClose(")", popen);
          this.skipNewlines();
          if (!this.is("transition")) {
            // Report and go on with whatever member follows (it is not swallowed by recovery).
            this.diags.add("LX0113", this.peek().span, "`@priority(…)` must be followed by a transition");
            continue;
          }
          transitions.push(this.transitionDecl(level, at.span));
          continue;
        }
        this.error("LX0101", t.span, `expected a domain member (state, transition, fn, goal, invariant, capability, priority), found ${this.describe(t)}`);
      } catch (e) {
        if (!(e instanceof Bail)) throw e;
        if (this.i === before) this.i++;
        this.syncStatement();
      }
    }
    this.expectClose("}", open);
    return { kind: "DomainDecl", name, capabilities, priority, state, stateSpan, transitions, fns, goals, invariants, span: this.spanFrom(kw.span) };
  }

  private stateFields(open: Token): A.StateField[] {
    const fields: A.StateField[] = [];
    while (true) {
      this.separators();
      const t = this.peek();
      if (t.kind === "eof" || this.is("}")) break;
      const before = this.i;
      try {
        const name = this.identOrKeyword("a state field name");
        this.expect(":", "`:` and the field's type");
        const type = this.type();
        this.expect("=", "`=` and a default value (every state field has a default)");
        this.skipNewlines();
        const value = this.expr();
        fields.push({ name, type, value, span: spanJoin(name.span, value.span) });
        const n = this.peekRaw();
        if (!(n.kind === "newline" || (n.kind === "punct" && (n.text === "," || n.text === ";" || n.text === "}")))) {
          this.error("LX0101", n.span, `expected \`,\`, \`;\`, a newline or \`}\` after a state field, found ${this.describe(n)}`);
        }
      } catch (e) {
        if (!(e instanceof Bail)) throw e;
        if (this.i === before) this.i++;
        this.syncStatement();
      }
    }
    this.expectClose("}", open);
    return fields;
  }

  private braced(): A.Expr {
    const open = this.expect("{");
    this.skipNewlines();
    const e = this.expr();
    this.skipNewlines();
    this.expectClose("}", open);
    return e;
  }

  private goalDecl(): A.GoalDecl {
    const kw = this.next();
    const name = this.ident("a goal name");
    let priority: A.Ident | null = null;
    if (this.eat("priority")) priority = this.priorityName();
    const predicate = this.braced();
    let via: A.Ident[] | null = null;
    if (this.peekRaw().kind === "keyword" && this.peekRaw().text === "via") {
      this.next();
      via = [this.ident("a transition name")];
      while (this.peekRaw().kind === "punct" && this.peekRaw().text === ",") {
        this.next();
        this.skipNewlines();
        via.push(this.ident("a transition name"));
      }
    }
    return { kind: "GoalDecl", name, priority, predicate, via, span: this.spanFrom(kw.span) };
  }

  private transitionDecl(priority: A.Ident | null, start: Span): A.TransitionDecl {
    this.expect("transition");
    const name = this.ident("a transition name");
    const params = this.params();
    let result: A.TypeExpr | null = null;
    if (this.eat("->")) result = this.type();
    const body = this.block(true);
    return { kind: "TransitionDecl", name, params, result, priority, body, span: this.spanFrom(start) };
  }

  // ------------------------------------------------------------ types

  private type(): A.TypeExpr {
    const t = this.peek();
    let base: A.TypeExpr;
    if (t.kind === "ident") {
      this.next();
      const args: A.TypeExpr[] = [];
      if (this.peekRaw().kind === "punct" && this.peekRaw().text === "<") {
        this.next();
        this.withNl(() => {
          args.push(this.type());
          while (this.eat(",")) args.push(this.type());
        });
        this.closeAngle(t);
      }
      base = { kind: "TName", name: t.text, args, span: this.spanFrom(t.span) };
    } else {
      this.error("LX0104", t.span, `expected a type, found ${this.describe(t)}`);
    }
    while (this.peekRaw().kind === "punct" && (this.peekRaw().text === "?" || this.peekRaw().text === "??")) {
      const q = this.next();
      if (q.text === "??") {
        // The lexer reads `T??` as `T` `??`: it is two optional marks (an error the checker reports).
        const first = { file: q.span.file, start: q.span.start, end: q.span.start + 1 };
        base = { kind: "TOpt", inner: base, span: spanJoin(base.span, first) };
      }
      base = { kind: "TOpt", inner: base, span: spanJoin(base.span, q.span) };
    }
    return base;
  }

  /** Consumes `>`; splits `>=` (as in `list<int>= []`) into `>` and `=`. */
  private closeAngle(open: Token): void {
    const t = this.peek();
    if (t.kind === "punct" && t.text === ">") {
      this.next();
      return;
    }
    if (t.kind === "punct" && t.text === ">=") {
      const gt: Token = { kind: "punct", text: ">", span: { file: t.span.file, start: t.span.start, end: t.span.start + 1 } };
      const eq: Token = { kind: "punct", text: "=", span: { file: t.span.file, start: t.span.start + 1, end: t.span.end } };
      this.toks = [...this.toks.slice(0, this.i), gt, eq, ...this.toks.slice(this.i + 1)];
      this.next();
      return;
    }
    this.error("LX0104", t.span, `expected \`>\` to close the type arguments of \`${open.text}\`, found ${this.describe(t)}`);
  }

  // ------------------------------------------------------------ statements

  private block(inTransition: boolean, allowSlices = inTransition): A.Block {
    const open = this.expect("{", "`{` to start a block");
    this.enter(open.span);
    try {
      return this.withoutNl(() => {
        const stmts: A.Stmt[] = [];
        while (true) {
          this.separatorsStmt();
          const t = this.peekRaw();
          if (t.kind === "eof") {
            if (!this.unclosedAtEof) this.diags.add("LX0102", open.span, "unclosed `{`", [{ message: "the file ends before the matching `}`", span: t.span }]);
            this.unclosedAtEof = true;
            return { stmts, span: this.spanFrom(open.span), closeSpan: t.span };
          }
          if (t.kind === "punct" && t.text === "}") {
            this.i++;
            return { stmts, span: this.spanFrom(open.span), closeSpan: t.span };
          }
          if (t.kind === "punct" && (t.text === ")" || t.text === "]")) {
            this.diags.add("LX0101", t.span, `unexpected \`${t.text}\` (no matching opener)`);
            this.i++;
            continue;
          }
          const before = this.i;
          try {
            stmts.push(this.stmt(inTransition, allowSlices));
            this.endOfStatement();
          } catch (e) {
            if (!(e instanceof Bail)) throw e;
            if (this.i === before) this.i++;
            this.syncStatement();
          }
        }
      });
    } finally {
      this.leave();
    }
  }

  private separatorsStmt(): void {
    while (true) {
      const t = this.peekRaw();
      if (t.kind === "newline" || (t.kind === "punct" && t.text === ";")) this.i++;
      else return;
    }
  }

  private stmt(inTransition: boolean, allowSlices: boolean): A.Stmt {
    const t = this.peek();
    if (t.kind === "keyword") {
      switch (t.text) {
        case "let":
        case "var": {
          this.next();
          const name = this.ident("a variable name");
          let type: A.TypeExpr | null = null;
          if (this.eat(":")) type = this.type();
          this.expect("=", "`=` and a value");
          this.skipNewlines();
          const value = this.exprOrAwait();
          return { kind: "Let", mutable: t.text === "var", name, type, value, span: this.spanFrom(t.span) };
        }
        case "if":
          return this.ifStmt(inTransition);
        case "match":
          return this.matchStmt(inTransition);
        case "for": {
          this.next();
          const first = this.ident("a loop variable");
          let second: A.Ident | null = null;
          if (this.eat(",")) second = this.ident("a loop variable");
          this.expect("in");
          const iterable = this.head(() => this.expr());
          let rangeEnd: A.Expr | null = null;
          if (this.eat("..")) rangeEnd = this.head(() => this.expr());
          const body = this.block(inTransition, false);
          return { kind: "For", first, second, iterable, rangeEnd, body, span: this.spanFrom(t.span) };
        }
        case "return": {
          this.next();
          const n = this.peekRaw();
          let value: A.Expr | null = null;
          if (!(n.kind === "newline" || n.kind === "eof" || (n.kind === "punct" && (n.text === ";" || n.text === "}")))) value = this.expr();
          return { kind: "Return", value, span: this.spanFrom(t.span) };
        }
        case "fail": {
          this.next();
          const message = this.expr();
          return { kind: "Fail", message, span: this.spanFrom(t.span) };
        }
        case "assert": {
          this.next();
          const first = this.i;
          const cond = this.expr();
          const condText = canonicalText(this.toks.slice(first, this.i));
          let message: A.Expr | null = null;
          if (this.eat(",")) {
            this.skipNewlines();
            message = this.expr();
          }
          return { kind: "Assert", cond, message, condText, span: this.spanFrom(t.span) };
        }
        case "emit": {
          this.next();
          const effect = this.effectRef();
          return { kind: "Emit", effect, span: this.spanFrom(t.span) };
        }
        case "send":
          return this.sendStmt();
        case "slice": {
          // `slice(xs, a, b)` is the built-in (rules.md [18]); `slice name { … }` is a block.
          const n = this.peekAt(1);
          if (n.kind === "punct" && n.text === "(") break;
          this.next();
          const name = this.ident("a slice name");
          if (!allowSlices) {
            this.diags.add("LX0108", t.span, inTransition ? "`slice` blocks appear only at the top level of a transition body" : "`slice` is only allowed in transitions");
          }
          const body = this.block(inTransition, false);
          return { kind: "Slice", name, body, span: this.spanFrom(t.span) };
        }
      }
    }
    const expr = this.exprOrAwait();
    const n = this.peekRaw();
    if (n.kind === "punct" && ASSIGN_OPS.has(n.text)) {
      this.next();
      this.skipNewlines();
      if (!isPlace(expr)) this.diags.add("LX0107", expr.span, "this cannot be assigned to (expected a variable, a state field, or a `.field` / `[index]` path from one)");
      const value = n.text === "=" ? this.exprOrAwait() : this.expr();
      return { kind: "Assign", op: n.text as "=" | "+=" | "-=" | "*=", target: expr, value, span: this.spanFrom(expr.span) };
    }
    return { kind: "ExprStmt", expr, span: expr.span };
  }

  private exprOrAwait(): A.Expr {
    if (this.is("await")) {
      const kw = this.next();
      const effect = this.effectRef();
      return { kind: "Await", effect, span: this.spanFrom(kw.span) };
    }
    return this.expr();
  }

  private head<T>(f: () => T): T {
    const saved = this.noRecord;
    this.noRecord = true;
    try {
      return f();
    } finally {
      this.noRecord = saved;
    }
  }

  private ifStmt(inTransition: boolean): A.Stmt {
    const kw = this.next();
    if (this.eat("let")) {
      const name = this.ident("a variable name");
      this.expect("=");
      const value = this.head(() => this.expr());
      const then = this.block(inTransition, false);
      const else_ = this.elsePart(inTransition);
      return { kind: "IfLet", name, value, then, else_, span: this.spanFrom(kw.span) };
    }
    const cond = this.head(() => this.expr());
    const then = this.block(inTransition, false);
    const else_ = this.elsePart(inTransition);
    return { kind: "If", cond, then, else_, span: this.spanFrom(kw.span) };
  }

  private elsePart(inTransition: boolean): A.Block | A.Stmt | null {
    // `else` may follow on the next line after the closing brace.
    let j = this.i;
    while (this.toks[j]!.kind === "newline") j++;
    const t = this.toks[j]!;
    if (!(t.kind === "keyword" && t.text === "else")) return null;
    this.i = j + 1;
    if (this.is("if")) return this.ifStmt(inTransition);
    return this.block(inTransition, false);
  }

  private matchStmt(inTransition: boolean): A.Stmt {
    const kw = this.next();
    const subject = this.head(() => this.expr());
    const open = this.expect("{", "`{` to start the match arms");
    const arms: A.MatchArm[] = [];
    this.withoutNl(() => {
      while (true) {
        this.separators();
        const t = this.peekRaw();
        if (t.kind === "eof" || (t.kind === "punct" && t.text === "}")) break;
        const before = this.i;
        try {
          const pattern = this.pattern(true);
          this.expect("=>", "`=>` after the pattern");
          this.skipNewlines();
          if (!this.is("{")) this.error("LX0111", this.peek().span, "a match arm's body must be a block `{ … }`");
          const body = this.block(inTransition, false);
          arms.push({ pattern, body, span: spanJoin(pattern.span, body.span) });
          const n = this.peekRaw();
          if (!(n.kind === "newline" || (n.kind === "punct" && (n.text === "," || n.text === ";" || n.text === "}")))) {
            this.error("LX0101", n.span, `expected a newline, \`,\` or \`}\` after a match arm, found ${this.describe(n)}`);
          }
        } catch (e) {
          if (!(e instanceof Bail)) throw e;
          if (this.i === before) this.i++;
          this.syncStatement();
        }
      }
    });
    this.expectClose("}", open);
    return { kind: "Match", subject, arms, keywordSpan: kw.span, span: this.spanFrom(kw.span) };
  }

  private pattern(top: boolean): A.Pattern {
    const t = this.peek();
    this.enter(t.span);
    try {
      if (t.kind === "ident" && t.text === "_") {
        this.next();
        return { kind: "PWild", span: t.span };
      }
      if (t.kind === "keyword" && t.text === "none") {
        this.next();
        return { kind: "PNone", span: t.span };
      }
      if (t.kind === "int" || t.kind === "float" || t.kind === "string" || t.kind === "duration" || (t.kind === "keyword" && (t.text === "true" || t.text === "false"))) {
        const value = this.primary();
        if (value.kind === "Str" && value.parts.some((p) => p.kind === "expr")) this.diags.add("LX0109", value.span, "a string pattern cannot contain interpolation");
        return { kind: "PLit", value, span: value.span };
      }
      if (t.kind === "punct" && t.text === "-") {
        const minus = this.next();
        const n = this.peek();
        if (n.kind !== "int" && n.kind !== "float") this.error("LX0109", n.span, "expected a number after `-` in a pattern");
        this.next();
        const value: A.Expr = { kind: "Unary", op: "-", operand: n.kind === "int" ? { kind: "Int", value: n.value, span: n.span } : { kind: "Float", value: n.value, span: n.span }, span: spanJoin(minus.span, n.span) };
        return { kind: "PLit", value, span: value.span };
      }
      if (t.kind === "ident") {
        this.next();
        let qualifier: A.Ident | null = null;
        let name: A.Ident = { name: t.text, span: t.span };
        if (this.peekRaw().kind === "punct" && this.peekRaw().text === ".") {
          this.next();
          qualifier = name;
          name = this.ident("a variant name");
        }
        if (this.peekRaw().kind === "punct" && this.peekRaw().text === "(") {
          const open = this.next();
          const args = this.withNl(() => {
            const ps: A.Pattern[] = [];
            while (!this.is(")") && this.peek().kind !== "eof") {
              ps.push(this.pattern(false));
              if (!this.eat(",")) break;
            }
            this.expectClose(")", open);
            return ps;
          });
          return { kind: "PVariant", qualifier, name, args, span: this.spanFrom(t.span) };
        }
        if (qualifier !== null) return { kind: "PVariant", qualifier, name, args: null, span: this.spanFrom(t.span) };
        return { kind: "PName", name, span: t.span };
      }
      this.error("LX0109", t.span, `expected a pattern (a variant, a literal, \`none\` or \`_\`), found ${this.describe(t)}${top ? "" : ""}`);
    } finally {
      this.leave();
    }
  }

  private effectRef(): A.EffectRef {
    const ns = this.ident("an effect name like `Payments.charge`");
    this.expect(".", "`.` in the effect name (`Namespace.operation`)");
    const name = this.identOrKeyword("an effect operation");
    const open = this.expect("(", "`(` and the effect's arguments");
    const all = this.args(open);
    let key: A.Expr | null = null;
    const args: A.Arg[] = [];
    for (const a of all) {
      if (a.label !== null && a.label.name === "key") {
        if (key !== null) this.diags.add("LX0213", a.span, "the idempotency `key:` is given twice");
        key = a.value;
      } else args.push(a);
    }
    return { ns, name, args, key, span: this.spanFrom(ns.span) };
  }

  private sendStmt(): A.Stmt {
    const kw = this.next();
    let domain: A.Ident | null = null;
    let target: A.Expr | null = null;
    if (this.eat("self")) {
      this.expect(".", "`.` and a transition name after `send self`");
    } else {
      domain = this.ident("a domain name");
      const open = this.expect("[", "`[` and the target instance id");
      target = this.withNl(() => {
        const e = this.expr();
        this.expectClose("]", open);
        return e;
      });
      this.expect(".", "`.` and a transition name");
    }
    const transition = this.ident("a transition name");
    const open = this.expect("(", "`(` and the transition's arguments");
    const args = this.args(open);
    let after: A.Expr | null = null;
    if (this.peekRaw().kind === "keyword" && this.peekRaw().text === "after") {
      this.next();
      after = this.expr();
    }
    return { kind: "Send", domain, target, transition, args, after, span: this.spanFrom(kw.span) };
  }

  private args(open: Token): A.Arg[] {
    return this.withNl(() => {
      const out: A.Arg[] = [];
      while (!this.is(")") && this.peek().kind !== "eof") {
        const t = this.peek();
        const n = this.peekAt(1);
        let label: A.Ident | null = null;
        if ((t.kind === "ident" || t.kind === "keyword") && n.kind === "punct" && n.text === ":") {
          this.next();
          this.next();
          label = { name: t.text, span: t.span };
        }
        const value = this.is("await") ? this.error("LX0110", this.peek().span) : this.expr();
        out.push({ label, value, span: label ? spanJoin(label.span, value.span) : value.span });
        if (!this.eat(",")) break;
      }
      this.expectClose(")", open);
      return out;
    });
  }

  // ------------------------------------------------------------ expressions

  expr(): A.Expr {
    const t = this.peek();
    this.enter(t.span);
    try {
      return this.or();
    } finally {
      this.leave();
    }
  }

  /** After a binary operator the operand may start on the next line (rules.md [14]). */
  private operand(f: () => A.Expr): A.Expr {
    this.skipNewlines();
    return f();
  }

  private binary(op: A.BinaryOp, left: A.Expr, right: A.Expr, opSpan: Span): A.Expr {
    return { kind: "Binary", op, left, right, opSpan, span: spanJoin(left.span, right.span) };
  }

  private or(): A.Expr {
    let left = this.and();
    while (this.is("||")) {
      const op = this.next();
      left = this.binary("||", left, this.operand(() => this.and()), op.span);
    }
    return left;
  }

  private and(): A.Expr {
    let left = this.cmp();
    while (this.is("&&")) {
      const op = this.next();
      left = this.binary("&&", left, this.operand(() => this.cmp()), op.span);
    }
    return left;
  }

  private cmp(): A.Expr {
    const left = this.coalesce();
    const t = this.peek();
    if (t.kind === "punct" && CMP_OPS.has(t.text)) {
      this.next();
      const right = this.operand(() => this.coalesce());
      const e = this.binary(t.text as A.BinaryOp, left, right, t.span);
      const n = this.peek();
      if (n.kind === "punct" && CMP_OPS.has(n.text)) {
        this.error("LX0106", n.span, "comparison operators cannot be chained: write `a < b && b < c`");
      }
      return e;
    }
    return left;
  }

  private coalesce(): A.Expr {
    const left = this.additive();
    if (this.is("??")) {
      const op = this.next();
      return this.binary("??", left, this.operand(() => this.coalesce()), op.span);
    }
    return left;
  }

  private additive(): A.Expr {
    let left = this.multiplicative();
    while (this.is("+") || this.is("-")) {
      const op = this.next();
      left = this.binary(op.text as A.BinaryOp, left, this.operand(() => this.multiplicative()), op.span);
    }
    return left;
  }

  private multiplicative(): A.Expr {
    let left = this.asExpr();
    while (this.is("*") || this.is("/") || this.is("%")) {
      const op = this.next();
      left = this.binary(op.text as A.BinaryOp, left, this.operand(() => this.asExpr()), op.span);
    }
    return left;
  }

  private asExpr(): A.Expr {
    let e = this.unary();
    while (this.isIdent("as")) {
      this.next();
      const type = this.type();
      e = { kind: "As", expr: e, type, span: spanJoin(e.span, type.span) };
    }
    return e;
  }

  private unary(): A.Expr {
    if (this.is("!") || this.is("-")) {
      const op = this.next();
      this.enter(op.span);
      try {
        const operand = this.unary();
        return { kind: "Unary", op: op.text as "!" | "-", operand, span: spanJoin(op.span, operand.span) };
      } finally {
        this.leave();
      }
    }
    return this.postfix(this.primary());
  }

  /** Whether a `.` continues the expression, possibly from the start of the next line. */
  private dotFollows(): boolean {
    let j = this.i;
    const t0 = this.toks[j]!;
    if (t0.kind === "punct" && t0.text === ".") return true;
    if (t0.kind !== "newline") return false;
    while (this.toks[j]!.kind === "newline") j++;
    const t = this.toks[j]!;
    return t.kind === "punct" && t.text === ".";
  }

  private postfix(e: A.Expr): A.Expr {
    while (true) {
      if (this.dotFollows()) {
        this.skipNewlines();
        this.next();
        this.skipNewlines();
        const name = this.identOrKeyword("a field or method name");
        if (this.peekRaw().kind === "punct" && this.peekRaw().text === "(") {
          const open = this.next();
          const args = this.args(open);
          const qualifier = e.kind === "Name" ? { name: e.name, span: e.span } : null;
          e = { kind: "Call", callee: name, receiver: e, qualifier, args, span: this.spanFrom(e.span) };
        } else {
          e = { kind: "Member", object: e, name, span: spanJoin(e.span, name.span) };
        }
        continue;
      }
      const t = this.peekRaw();
      if (t.kind === "punct" && t.text === "[") {
        const open = this.next();
        const index = this.withNl(() => {
          const ix = this.expr();
          this.expectClose("]", open);
          return ix;
        });
        e = { kind: "Index", object: e, index, span: this.spanFrom(e.span) };
        continue;
      }
      return e;
    }
  }

  private primary(): A.Expr {
    const t = this.peek();
    switch (t.kind) {
      case "int":
        this.next();
        return { kind: "Int", value: t.value, span: t.span };
      case "float":
        this.next();
        return { kind: "Float", value: t.value, span: t.span };
      case "duration":
        this.next();
        return { kind: "Duration", value: t.value, span: t.span };
      case "string":
        this.next();
        return this.stringExpr(t);
      case "keyword":
        switch (t.text) {
          case "true":
          case "false":
            this.next();
            return { kind: "Bool", value: t.text === "true", span: t.span };
          case "none":
            this.next();
            return { kind: "None", span: t.span };
          case "self": {
            this.next();
            if (!(this.peekRaw().kind === "punct" && this.peekRaw().text === ".")) this.error("LX0101", t.span, "`self` must be followed by `.id` (or `.Transition(…)` in `send self.…`)");
            this.next();
            const name = this.identOrKeyword("`id`");
            if (name.name !== "id") this.error("LX0101", name.span, `\`self.${name.name}\`: only \`self.id\` is available (messages to self use \`send self.${name.name}(…)\`)`);
            return { kind: "SelfId", span: spanJoin(t.span, name.span) };
          }
          case "state": {
            this.next();
            this.expect(".", "`.` and a state field name after `state`");
            const field = this.identOrKeyword("a state field name");
            return { kind: "StateField", field, span: spanJoin(t.span, field.span) };
          }
          case "await": {
            this.error("LX0110", t.span);
            break;
          }
          case "slice": {
            // The keyword doubles as the built-in `slice(xs, a, b)`.
            const n = this.peekAt(1);
            if (n.kind === "punct" && n.text === "(") {
              this.next();
              const open = this.next();
              const args = this.args(open);
              return { kind: "Call", callee: { name: t.text, span: t.span }, receiver: null, qualifier: null, args, span: this.spanFrom(t.span) };
            }
            break;
          }
        }
        this.error("LX0103", t.span, `expected an expression, found ${this.describe(t)}`);
      case "ident": {
        this.next();
        const n = this.peekRaw();
        if (n.kind === "punct" && n.text === "(") {
          const open = this.next();
          const args = this.args(open);
          return { kind: "Call", callee: { name: t.text, span: t.span }, receiver: null, qualifier: null, args, span: this.spanFrom(t.span) };
        }
        if (n.kind === "punct" && n.text === "{" && !this.noRecord) {
          return this.recordLit({ name: t.text, span: t.span });
        }
        if (n.kind === "punct" && n.text === "{" && this.noRecord && this.recordBodyFollows()) {
          // `if p == P { a: 1 } { … }`: no statement starts with `name:`, so this brace is a
          // record literal that needed parentheses (rules.md [1]). Say so and parse it as one.
          this.diags.add("LX0101", t.span, `a record literal in the head of \`if\`, \`for\` or \`match\` needs parentheses: \`(${t.text} { … })\``);
          return this.recordLit({ name: t.text, span: t.span });
        }
        return { kind: "Name", name: t.text, span: t.span };
      }
      case "punct":
        if (t.text === "(") {
          const open = this.next();
          return this.withNl(() => {
            const e = this.expr();
            this.expectClose(")", open);
            return e;
          });
        }
        if (t.text === "[") {
          const open = this.next();
          return this.withNl(() => {
            const items: A.Expr[] = [];
            while (!this.is("]") && this.peek().kind !== "eof") {
              items.push(this.expr());
              if (!this.eat(",")) break;
            }
            this.expectClose("]", open);
            return { kind: "List", items, span: this.spanFrom(open.span) } as A.Expr;
          });
        }
        if (t.text === "{") return this.braceLit();
        break;
    }
    this.error("LX0103", t.span, `expected an expression, found ${this.describe(t)}`);
  }

  /** At `{`: whether `field:` follows, which only a record literal can start with. */
  private recordBodyFollows(): boolean {
    let j = this.i + 1;
    while (this.toks[j]!.kind === "newline") j++;
    const a = this.toks[j]!;
    const b = this.toks[j + 1]!;
    return (a.kind === "ident" || a.kind === "keyword") && b.kind === "punct" && b.text === ":";
  }

  private recordLit(type: A.Ident): A.Expr {
    const open = this.next();
    return this.withNl(() => {
      const fields: { name: A.Ident; value: A.Expr }[] = [];
      while (!this.is("}") && this.peek().kind !== "eof") {
        const name = this.identOrKeyword("a field name");
        this.expect(":", "`:` and the field's value");
        const value = this.expr();
        fields.push({ name, value });
        if (!this.eat(",")) break;
      }
      this.expectClose("}", open);
      return { kind: "Record", type, fields, span: this.spanFrom(type.span) } as A.Expr;
    });
  }

  private braceLit(): A.Expr {
    const open = this.next();
    return this.withNl(() => {
      if (this.is("}")) {
        this.next();
        return { kind: "EmptyBraces", span: this.spanFrom(open.span) } as A.Expr;
      }
      const first = this.expr();
      if (this.eat(":")) {
        const entries: { key: A.Expr; value: A.Expr }[] = [{ key: first, value: this.expr() }];
        while (this.eat(",")) {
          if (this.is("}")) break;
          const key = this.expr();
          this.expect(":", "`:` in a map entry");
          entries.push({ key, value: this.expr() });
        }
        this.expectClose("}", open);
        return { kind: "MapLit", entries, span: this.spanFrom(open.span) } as A.Expr;
      }
      const items: A.Expr[] = [first];
      while (this.eat(",")) {
        if (this.is("}")) break;
        items.push(this.expr());
      }
      this.expectClose("}", open);
      return { kind: "SetLit", items, span: this.spanFrom(open.span) } as A.Expr;
    });
  }

  private stringExpr(t: Extract<Token, { kind: "string" }>): A.Expr {
    const parts: A.InterpPart[] = [];
    for (const part of t.parts) {
      if (typeof part === "string") {
        parts.push({ kind: "text", text: part });
        continue;
      }
      if (part.tokens.length === 0) {
        // Point at the braces themselves (the part's span holds only what is between them).
        this.diags.add("LX0103", { file: part.span.file, start: part.span.start - 1, end: part.span.end + 1 }, "empty interpolation `{}` (write `\\{\\}` for literal braces)");
        continue;
      }
      const eofSpan = { file: part.span.file, start: part.span.end, end: part.span.end };
      const sub = new Parser([...part.tokens, { kind: "eof", text: "", span: eofSpan }], this.src, this.diags, this.prelude);
      sub.nlIgnore = 1;
      try {
        const e = sub.expr();
        const rest = sub.peek();
        if (rest.kind !== "eof") sub.error("LX0101", rest.span, `expected \`}\` to end the interpolation, found ${sub.describe(rest)}`);
        parts.push({ kind: "expr", expr: e });
      } catch (err) {
        if (!(err instanceof Bail)) throw err;
      }
    }
    return { kind: "Str", parts, span: t.span };
  }
}

/**
 * The source text of some tokens with canonical spacing: one space between tokens except
 * around `.`, inside brackets and before `,` or a call's `(`. It stands in for an expression's
 * text where the text becomes data (the default `assert` message), so the program — and its
 * hash — do not change with whitespace or comments (rules.md [41]).
 */
export function canonicalText(toks: readonly Token[]): string {
  let out = "";
  let prev: Token | null = null;
  for (const t of toks) {
    if (t.kind === "newline" || t.kind === "eof") continue;
    if (prev !== null) {
      const p = prev.kind === "punct" ? prev.text : "";
      const c = t.kind === "punct" ? t.text : "";
      const tight =
        p === "." || c === "." || p === "(" || p === "[" || c === ")" || c === "]" || c === "," || c === "?" ||
        ((c === "(" || c === "[") && (prev.kind === "ident" || prev.kind === "keyword" || p === ")" || p === "]")) ||
        ((p === "!" || p === "-") && isPrefix(toks, prev));
      if (!tight) out += " ";
    }
    out += t.text;
    prev = t;
  }
  return out;
}

/** Whether `!`/`-` token `t` is a prefix operator (not preceded by an operand). */
function isPrefix(toks: readonly Token[], t: Token): boolean {
  const i = toks.indexOf(t);
  let j = i - 1;
  while (j >= 0 && toks[j]!.kind === "newline") j--;
  const before = toks[j];
  if (before === undefined) return true;
  if (before.kind === "punct") return before.text !== ")" && before.text !== "]";
  return before.kind === "keyword" && before.text !== "true" && before.text !== "false" && before.text !== "none" && before.text !== "self";
}

export function isPlace(e: A.Expr): boolean {
  switch (e.kind) {
    case "Name":
    case "StateField":
      return true;
    case "Member":
      return isPlace(e.object);
    case "Index":
      return isPlace(e.object);
    default:
      return false;
  }
}

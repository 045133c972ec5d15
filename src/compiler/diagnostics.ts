/**
 * Diagnostics are data (STYLE.md §5): every compile-time problem has a stable code from the
 * one catalogue below (rules.md [30]: LX0001–LX0999), a severity, a message, a span and
 * optional notes. Stages return diagnostics; only the CLI renders them.
 *
 * Ranges: LX00xx lexical, LX01xx syntax, LX02xx names and declarations, LX03xx types,
 * LX04xx statements/control flow, LX05xx purity/capabilities/effects, LX06xx domains, goals,
 * transitions, LX07xx limits and program-level, LX08xx warnings.
 * Codes are never reused or renumbered; retired codes stay in the catalogue marked retired.
 */
import type { Span } from "./source.ts";

export type Severity = "error" | "warning";

type CatalogueEntry = { readonly severity: Severity; readonly title: string };

export const CATALOGUE = {
  // Lexical
  LX0001: { severity: "error", title: "unexpected character" },
  LX0002: { severity: "error", title: "unterminated string literal" },
  LX0003: { severity: "error", title: "invalid escape sequence" },
  LX0004: { severity: "error", title: "malformed number literal" },
  LX0005: { severity: "error", title: "integer literal out of range" },
  LX0006: { severity: "error", title: "unterminated block comment" },
  LX0007: { severity: "error", title: "invalid UTF-8 in source" },
  LX0008: { severity: "error", title: "unknown duration unit" },
  LX0009: { severity: "error", title: "unterminated interpolation" },
  // Syntax
  LX0101: { severity: "error", title: "unexpected token" },
  LX0102: { severity: "error", title: "unclosed delimiter" },
  LX0103: { severity: "error", title: "expected an expression" },
  LX0104: { severity: "error", title: "expected a type" },
  LX0105: { severity: "error", title: "expected a declaration" },
  LX0106: { severity: "error", title: "comparison operators cannot be chained" },
  LX0107: { severity: "error", title: "invalid assignment target" },
  LX0108: { severity: "error", title: "`slice` is only allowed at the top level of a transition" },
  LX0109: { severity: "error", title: "invalid pattern" },
  LX0110: { severity: "error", title: "`await` is only allowed as a statement or the value of `let`/assignment" },
  LX0111: { severity: "error", title: "expected a match arm block" },
  LX0112: { severity: "error", title: "nesting too deep" },
  LX0113: { severity: "error", title: "unknown annotation" },
  LX0114: { severity: "error", title: "arguments must be named" },
  LX0115: { severity: "error", title: "arguments must be positional" },
  // Names and declarations
  LX0201: { severity: "error", title: "unknown name" },
  LX0202: { severity: "error", title: "duplicate declaration" },
  LX0203: { severity: "error", title: "unknown type" },
  LX0204: { severity: "error", title: "unknown field" },
  LX0205: { severity: "error", title: "unknown variant" },
  LX0206: { severity: "error", title: "ambiguous variant" },
  LX0207: { severity: "error", title: "unknown function" },
  LX0208: { severity: "error", title: "unknown domain" },
  LX0209: { severity: "error", title: "unknown transition" },
  LX0210: { severity: "error", title: "unknown effect" },
  LX0211: { severity: "error", title: "missing argument" },
  LX0212: { severity: "error", title: "unexpected argument" },
  LX0213: { severity: "error", title: "duplicate argument" },
  LX0214: { severity: "error", title: "wrong number of arguments" },
  LX0215: { severity: "error", title: "redeclared name in the same scope" },
  LX0216: { severity: "error", title: "reserved name" },
  LX0217: { severity: "error", title: "a transition cannot call a transition" },
  LX0218: { severity: "error", title: "method syntax is only for built-ins" },
  LX0219: { severity: "error", title: "missing field" },
  LX0220: { severity: "error", title: "effect name must be `Ident.ident`" },
  LX0221: { severity: "error", title: "effect parameter named `key`" },
  LX0222: { severity: "error", title: "prelude declarations cannot be redeclared" },
  // Types
  LX0301: { severity: "error", title: "type mismatch" },
  LX0302: { severity: "error", title: "operator not defined for these types" },
  LX0303: { severity: "error", title: "`+` does not join strings" },
  LX0304: { severity: "error", title: "int and float do not mix implicitly" },
  LX0305: { severity: "error", title: "cannot access a member of an optional" },
  LX0306: { severity: "error", title: "nested optional type" },
  LX0307: { severity: "error", title: "`none` needs an expected type" },
  LX0308: { severity: "error", title: "empty collection needs an expected type" },
  LX0309: { severity: "error", title: "invalid map key or set element type" },
  LX0310: { severity: "error", title: "value cannot be interpolated" },
  LX0311: { severity: "error", title: "cannot index this type" },
  LX0312: { severity: "error", title: "condition must be bool" },
  LX0313: { severity: "error", title: "cannot iterate over this type" },
  LX0314: { severity: "error", title: "`as` casts only from json" },
  LX0315: { severity: "error", title: "value has no fields" },
  LX0316: { severity: "error", title: "cannot compare values of this type" },
  LX0317: { severity: "error", title: "mixed element types in a collection literal" },
  LX0318: { severity: "error", title: "sort needs an int, float or string list" },
  LX0319: { severity: "error", title: "incompatible return types" },
  LX0320: { severity: "error", title: "a recursive type needs a collection or optional in between" },
  LX0321: { severity: "error", title: "`if let` needs an optional" },
  LX0322: { severity: "error", title: "a function without a result type is used as a value" },
  // Statements and control flow
  LX0401: { severity: "error", title: "non-exhaustive match" },
  LX0402: { severity: "error", title: "unreachable match arm" },
  LX0403: { severity: "error", title: "unreachable code" },
  LX0404: { severity: "error", title: "assignment to an immutable binding" },
  LX0405: { severity: "error", title: "mutating built-in needs an assignable place" },
  LX0406: { severity: "error", title: "missing return" },
  LX0407: { severity: "error", title: "`return` with a value in a function without a result type" },
  LX0408: { severity: "error", title: "pattern type mismatch" },
  LX0409: { severity: "error", title: "expression statement has no effect" },
  LX0410: { severity: "error", title: "a loop variable cannot be assigned" },
  // Purity, capabilities, effects
  LX0501: { severity: "error", title: "state write outside a transition" },
  LX0502: { severity: "error", title: "impure operation in a pure context" },
  LX0503: { severity: "error", title: "missing capability" },
  LX0504: { severity: "error", title: "`await` outside a transition" },
  LX0505: { severity: "error", title: "state is not visible in a top-level function" },
  LX0506: { severity: "error", title: "`self` is only available inside a domain" },
  LX0507: { severity: "error", title: "`send … after` needs an int duration" },
  LX0508: { severity: "error", title: "invalid effect declaration" },
  LX0509: { severity: "error", title: "idempotency key must be a string" },
  // Domains, goals, transitions
  LX0601: { severity: "error", title: "default value is not a constant expression" },
  LX0602: { severity: "error", title: "`via` transition must have no parameters" },
  LX0603: { severity: "error", title: "goal or invariant predicate must be bool" },
  LX0604: { severity: "error", title: "unknown priority" },
  LX0605: { severity: "error", title: "duplicate member" },
  LX0607: { severity: "error", title: "goal has no candidate transitions" },
  // Limits and program-level
  LX0701: { severity: "error", title: "source file too large" },
  LX0702: { severity: "error", title: "fuel setting out of range" },
  LX0703: { severity: "error", title: "too many locals, constants or instructions" },
  // Warnings
  LX0801: { severity: "warning", title: "unused variable" },
  LX0802: { severity: "warning", title: "`var` never reassigned" },
} as const satisfies Record<string, CatalogueEntry>;

export type DiagCode = keyof typeof CATALOGUE;

export type Note = { readonly message: string; readonly span?: Span };

export type Diagnostic = {
  readonly code: DiagCode;
  readonly severity: Severity;
  readonly message: string;
  readonly span: Span;
  readonly notes: readonly Note[];
};

export function diag(code: DiagCode, span: Span, message?: string, notes: readonly Note[] = []): Diagnostic {
  const entry: CatalogueEntry = CATALOGUE[code];
  return { code, severity: entry.severity, message: message ?? entry.title, span, notes };
}

export function hasErrors(ds: readonly Diagnostic[]): boolean {
  return ds.some((d) => d.severity === "error");
}

/** Collects diagnostics for one stage; stages never throw for user errors. */
export class DiagnosticBag {
  readonly items: Diagnostic[] = [];
  add(code: DiagCode, span: Span, message?: string, notes: readonly Note[] = []): void {
    this.items.push(diag(code, span, message, notes));
  }
  /** Errors so far (items may also be removed by a caller that rolls back a trial check). */
  get errorCount(): number {
    let n = 0;
    for (const d of this.items) if (d.severity === "error") n++;
    return n;
  }
}

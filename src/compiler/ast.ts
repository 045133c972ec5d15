/**
 * The syntax tree produced by the parser. Nodes are plain objects with a `kind` and a span.
 * The checker does not mutate them; it produces side tables keyed by node (checker.ts).
 */
import type { Span } from "./source.ts";

export type Ident = { readonly name: string; readonly span: Span };

// ---------------------------------------------------------------- types

export type TypeExpr =
  | { readonly kind: "TName"; readonly name: string; readonly args: readonly TypeExpr[]; readonly span: Span }
  | { readonly kind: "TOpt"; readonly inner: TypeExpr; readonly span: Span };

// ---------------------------------------------------------------- expressions

export type BinaryOp = "+" | "-" | "*" | "/" | "%" | "==" | "!=" | "<" | "<=" | ">" | ">=" | "&&" | "||" | "??";

export type Arg = { readonly label: Ident | null; readonly value: Expr; readonly span: Span };

export type InterpPart = { readonly kind: "text"; readonly text: string } | { readonly kind: "expr"; readonly expr: Expr };

export type Expr =
  | { readonly kind: "Int"; readonly value: number; readonly span: Span }
  | { readonly kind: "Float"; readonly value: number; readonly span: Span }
  | { readonly kind: "Duration"; readonly value: number; readonly span: Span }
  | { readonly kind: "Bool"; readonly value: boolean; readonly span: Span }
  | { readonly kind: "Str"; readonly parts: readonly InterpPart[]; readonly span: Span }
  | { readonly kind: "None"; readonly span: Span }
  | { readonly kind: "Name"; readonly name: string; readonly span: Span }
  /** `self.id` */
  | { readonly kind: "SelfId"; readonly span: Span }
  /** `state.field` */
  | { readonly kind: "StateField"; readonly field: Ident; readonly span: Span }
  | { readonly kind: "Unary"; readonly op: "!" | "-"; readonly operand: Expr; readonly span: Span }
  | { readonly kind: "Binary"; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr; readonly opSpan: Span; readonly span: Span }
  | { readonly kind: "As"; readonly expr: Expr; readonly type: TypeExpr; readonly span: Span }
  /** `a.b` — a record field, a json member, or `Enum.Variant` (resolved by the checker). */
  | { readonly kind: "Member"; readonly object: Expr; readonly name: Ident; readonly span: Span }
  | { readonly kind: "Index"; readonly object: Expr; readonly index: Expr; readonly span: Span }
  /** `f(args)` where f is a name, or `x.f(args)` (method syntax, `receiver` set), or `Enum.V(args)`. */
  | { readonly kind: "Call"; readonly callee: Ident; readonly receiver: Expr | null; readonly qualifier: Ident | null; readonly args: readonly Arg[]; readonly span: Span }
  | { readonly kind: "List"; readonly items: readonly Expr[]; readonly span: Span }
  | { readonly kind: "MapLit"; readonly entries: readonly { readonly key: Expr; readonly value: Expr }[]; readonly span: Span }
  | { readonly kind: "SetLit"; readonly items: readonly Expr[]; readonly span: Span }
  /** `{}`: an empty map or set, decided by the expected type. */
  | { readonly kind: "EmptyBraces"; readonly span: Span }
  | { readonly kind: "Record"; readonly type: Ident; readonly fields: readonly { readonly name: Ident; readonly value: Expr }[]; readonly span: Span }
  | { readonly kind: "Await"; readonly effect: EffectRef; readonly span: Span };

export type EffectRef = { readonly ns: Ident; readonly name: Ident; readonly args: readonly Arg[]; readonly key: Expr | null; readonly span: Span };

// ---------------------------------------------------------------- patterns

export type Pattern =
  | { readonly kind: "PWild"; readonly span: Span }
  | { readonly kind: "PLit"; readonly value: Expr; readonly span: Span }
  | { readonly kind: "PNone"; readonly span: Span }
  /** A bare identifier: a variant at the top of a pattern; nested, a binding unless it names a variant of the expected enum. */
  | { readonly kind: "PName"; readonly name: Ident; readonly span: Span }
  /** `V(p, …)`, `Enum.V`, `Enum.V(p, …)`, `Ok(p)`, `Err(p)`. */
  | { readonly kind: "PVariant"; readonly qualifier: Ident | null; readonly name: Ident; readonly args: readonly Pattern[] | null; readonly span: Span };

// ---------------------------------------------------------------- statements

export type Block = { readonly stmts: readonly Stmt[]; readonly span: Span; readonly closeSpan: Span };

export type MatchArm = { readonly pattern: Pattern; readonly body: Block; readonly span: Span };

export type Stmt =
  | { readonly kind: "Let"; readonly mutable: boolean; readonly name: Ident; readonly type: TypeExpr | null; readonly value: Expr; readonly span: Span }
  | { readonly kind: "Assign"; readonly op: "=" | "+=" | "-=" | "*="; readonly target: Expr; readonly value: Expr; readonly span: Span }
  | { readonly kind: "ExprStmt"; readonly expr: Expr; readonly span: Span }
  | { readonly kind: "If"; readonly cond: Expr; readonly then: Block; readonly else_: Block | Stmt | null; readonly span: Span }
  | { readonly kind: "IfLet"; readonly name: Ident; readonly value: Expr; readonly then: Block; readonly else_: Block | Stmt | null; readonly span: Span }
  | { readonly kind: "Match"; readonly subject: Expr; readonly arms: readonly MatchArm[]; readonly keywordSpan: Span; readonly span: Span }
  | { readonly kind: "For"; readonly first: Ident; readonly second: Ident | null; readonly iterable: Expr; readonly rangeEnd: Expr | null; readonly body: Block; readonly span: Span }
  | { readonly kind: "Return"; readonly value: Expr | null; readonly span: Span }
  | { readonly kind: "Fail"; readonly message: Expr; readonly span: Span }
  | { readonly kind: "Assert"; readonly cond: Expr; readonly message: Expr | null; readonly condText: string; readonly span: Span }
  | { readonly kind: "Emit"; readonly effect: EffectRef; readonly span: Span }
  | { readonly kind: "Send"; readonly domain: Ident | null; readonly target: Expr | null; readonly transition: Ident; readonly args: readonly Arg[]; readonly after: Expr | null; readonly span: Span }
  | { readonly kind: "Slice"; readonly name: Ident; readonly body: Block; readonly span: Span };

// ---------------------------------------------------------------- declarations

export type Param = { readonly name: Ident; readonly type: TypeExpr; readonly span: Span };

export type FieldDecl = { readonly name: Ident; readonly type: TypeExpr; readonly span: Span };

export type TypeDecl = { readonly kind: "TypeDecl"; readonly name: Ident; readonly fields: readonly FieldDecl[]; readonly span: Span };

export type EnumDecl = {
  readonly kind: "EnumDecl";
  readonly name: Ident;
  readonly variants: readonly { readonly name: Ident; readonly fields: readonly FieldDecl[]; readonly span: Span }[];
  readonly span: Span;
};

export type EffectDecl = {
  readonly kind: "EffectDecl";
  readonly ns: Ident;
  readonly name: Ident;
  readonly params: readonly Param[];
  readonly result: TypeExpr | null;
  readonly capabilities: readonly Ident[];
  readonly capabilitySpan: Span | null;
  readonly retries: { readonly value: number; readonly span: Span } | null;
  readonly backoff: { readonly min: number; readonly max: number; readonly span: Span } | null;
  readonly timeout: { readonly value: number; readonly span: Span } | null;
  readonly span: Span;
  /** Declared by the compiler's prelude. */
  readonly prelude: boolean;
};

export type FnDecl = {
  readonly kind: "FnDecl";
  readonly name: Ident;
  readonly params: readonly Param[];
  readonly result: TypeExpr | null;
  readonly body: Block;
  readonly span: Span;
};

export type StateField = { readonly name: Ident; readonly type: TypeExpr; readonly value: Expr; readonly span: Span };

export type TransitionDecl = {
  readonly kind: "TransitionDecl";
  readonly name: Ident;
  readonly params: readonly Param[];
  readonly result: TypeExpr | null;
  readonly priority: Ident | null;
  readonly body: Block;
  readonly span: Span;
};

export type GoalDecl = {
  readonly kind: "GoalDecl";
  readonly name: Ident;
  readonly priority: Ident | null;
  readonly predicate: Expr;
  readonly via: readonly Ident[] | null;
  readonly span: Span;
};

export type InvariantDecl = { readonly kind: "InvariantDecl"; readonly name: Ident; readonly predicate: Expr; readonly span: Span };

export type DomainDecl = {
  readonly kind: "DomainDecl";
  readonly name: Ident;
  readonly capabilities: readonly Ident[];
  readonly priority: Ident | null;
  readonly state: readonly StateField[] | null;
  readonly stateSpan: Span | null;
  readonly transitions: readonly TransitionDecl[];
  readonly fns: readonly FnDecl[];
  readonly goals: readonly GoalDecl[];
  readonly invariants: readonly InvariantDecl[];
  readonly span: Span;
};

export type FuelDecl = { readonly kind: "FuelDecl"; readonly value: number; readonly span: Span };

export type Decl = TypeDecl | EnumDecl | EffectDecl | FnDecl | DomainDecl | FuelDecl;

export type FileAst = { readonly file: number; readonly decls: readonly Decl[] };

/**
 * Run-time errors of a Lexum program (rules.md [30]). A trap is a value returned to the
 * program's author (STYLE.md §4): it fails the segment, never the host.
 */
export const TRAP_CODES = [
  "LX-FAIL", "LX-ASSERT", "LX-INV", "LX-FUEL", "LX-STACK", "LX-DIV0", "LX-OVERFLOW", "LX-INDEX",
  "LX-LIMIT", "LX-CAST", "LX-FLOAT", "LX-ID", "LX-EFFECT-TIMEOUT", "LX-EFFECT-RETRIES",
  "LX-EFFECT-TERMINAL", "LX-EFFECT-NO-ADAPTER", "LX-EFFECT-SHAPE", "LX-E005", "LX-E006",
  /** The VM met a value its verified bytecode should never produce: a bug or a hostile module. */
  "LX-VM",
] as const;

export type TrapCode = (typeof TRAP_CODES)[number];

export type TrapPos = { readonly file: string; readonly line: number; readonly col: number };

export type Trap = {
  readonly code: TrapCode;
  readonly message: string;
  /** Qualified name of the function executing when the trap happened. */
  readonly fn: string;
  readonly pc: number;
  readonly pos: TrapPos | null;
};

/** Thrown inside the VM loop only; callers always receive a `Trap` value. */
export class TrapSignal {
  constructor(
    readonly code: TrapCode,
    readonly message: string,
  ) {}
}

export function trapText(t: Trap): string {
  const where = t.pos ? ` at ${t.pos.file}:${t.pos.line}:${t.pos.col}` : "";
  return `${t.code}: ${t.message}${where}`;
}

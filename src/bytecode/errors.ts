/**
 * The two ways a module is refused (STYLE.md §4: expected operating errors, typed with a
 * stable code). Both map to CLI exit code 1: the module came from the user, not from a
 * damaged data directory. Callers that load a module from the data directory and consider
 * it damaged wrap these in a `DataDamagedError` themselves.
 */
import { LexumError } from "../base/errors.ts";

/** The bytes are not a well-formed `.lxm` file (bad magic, truncation, bad lengths, hash mismatch…). */
export class ModuleFormatError extends LexumError {
  override name = "ModuleFormatError";
  constructor(
    /** What was wrong, without the location prefix. */
    readonly reason: string,
    /** Section being read (`header`, `consts`, …, `debug`, `file`). */
    readonly section: string,
    /** Byte offset from the start of the file where the problem was found. */
    readonly offset: number,
    details: Record<string, unknown> = {},
  ) {
    super("LXM-FORMAT", `malformed module: section ${section}, byte ${offset}: ${reason}`, 1, {
      section,
      offset,
      ...details,
    });
  }
}

/**
 * A structurally decoded module breaks a rule the VM relies on (an index out of range, an
 * inconsistent stack depth, an opcode where it is not allowed…). `fn` and `pc` are set when
 * the problem is inside a function's code; `where` names the table entry otherwise.
 */
export class ModuleVerifyError extends LexumError {
  override name = "ModuleVerifyError";
  constructor(
    readonly reason: string,
    /** `fn "Order.Checkout"`, `domain "Order" transition "Checkout"`, `type #3`, `module`. */
    readonly where: string,
    readonly fn: string | null = null,
    readonly pc: number | null = null,
  ) {
    super(
      "LXM-VERIFY",
      fn !== null && pc !== null ? `invalid module: fn ${JSON.stringify(fn)} pc ${pc}: ${reason}` : `invalid module: ${where}: ${reason}`,
      1,
      { where, fn, pc, reason },
    );
  }
}

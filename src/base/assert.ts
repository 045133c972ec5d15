/**
 * Assertions for invariants of Lexum's own code (STYLE.md §4, §6).
 *
 * A failed assertion means a bug in Lexum, never bad user input: it throws an
 * `AssertionFailure` that callers must not catch-and-continue. Durable code relies on
 * crash-and-recover-from-disk when one fires. Assertions stay on in production.
 */
export class AssertionFailure extends Error {
  override name = "AssertionFailure";
}

export function assert(cond: unknown, msg: string | (() => string) = "assertion failed"): asserts cond {
  if (!cond) throw new AssertionFailure(typeof msg === "function" ? msg() : msg);
}

/** Marks a branch the type system proves unreachable. */
export function unreachable(x: never, what = "value"): never {
  throw new AssertionFailure(`unreachable: unexpected ${what} ${JSON.stringify(x)}`);
}

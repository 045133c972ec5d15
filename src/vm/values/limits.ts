/**
 * Limits owned by the value model (STYLE.md §7). Shared limits live in `src/base/limits.ts`;
 * these are kept here because only the value codecs need them. Each has a test at and just
 * past the limit (test/vm/values/limits.test.ts).
 */

/**
 * Deepest nesting of composite values (records, variants, collections, and the arrays/objects
 * inside a `json` value) that the codecs accept. Why: the encoders and decoders recurse on the
 * host stack, and a decoder must reject hostile input (a 1 MiB body of `[[[[…` ) with a clear
 * error instead of overflowing the stack. 512 levels × a few frames each stays far below
 * Node's default stack even when the caller is itself deep. Hashing and `equals` are iterative
 * and have no such limit, so the runtime can detect an over-deep state with `depthOf` (computed
 * together with the hash) and trap `LX-LIMIT` before trying to serialise it.
 */
export const VALUE_DEPTH_MAX = 512;

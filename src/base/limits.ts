/**
 * Every limit of Lexum, with the reason it exists (STYLE.md §7). Tests exercise each at and
 * just past the limit. Changing a value that affects execution changes program behaviour, so
 * execution limits are part of the bytecode format version.
 */

/** Largest magnitude of `int`: the integers a float64 represents exactly (language.md §2). */
export const INT_MAX = Number.MAX_SAFE_INTEGER; // 2^53 - 1
export const INT_MIN = -Number.MAX_SAFE_INTEGER;

/** Default instructions per slice (language.md §5); a program may configure its own. */
export const FUEL_PER_SLICE_DEFAULT = 1_000_000;
/** Upper bound for a configured per-slice budget: keeps one slice under ~1 s of CPU. */
export const FUEL_PER_SLICE_MAX = 1_000_000_000;
/** Fuel for evaluating one goal predicate (rules.md [31]): goals are meant to be cheap checks. */
export const GOAL_FUEL = 100_000;

/** VM call depth (rules.md [31]): deep enough for natural recursion, shallow enough that a
 * runaway recursion traps `LX-STACK` quickly instead of exhausting memory. */
export const CALL_DEPTH_MAX = 2_000;
/** Operand + locals slots of one VM execution; bounds memory of a hostile module. */
export const VM_STACK_SLOTS_MAX = 1_000_000;

/** Elements in one list/map/set: 16 M keeps one collection well under a GiB of heap. */
export const COLLECTION_LEN_MAX = 16_777_216;
/** UTF-16 code units in one string (64 MiB of text): large payloads belong in effects. */
export const STRING_LEN_MAX = 64 * 1024 * 1024;
/** Approximate weight (values + 1 per 64 string chars) of one instance's state. A state this
 * large takes seconds to snapshot; past it the slice traps `LX-LIMIT`. */
export const STATE_WEIGHT_MAX = 64 * 1024 * 1024;

/** Instance ids: 1..256 UTF-8 bytes, no control characters (rules.md [46]). */
export const INSTANCE_ID_BYTES_MAX = 256;

/** Goals (rules.md [2]). */
export const RECONCILE_STEPS_MAX = 1_000;
export const GOAL_BACKOFF_MIN_MS = 1_000;
export const GOAL_BACKOFF_MAX_MS = 60_000;

/** Source limits: keep the compiler's memory and time bounded on hostile input. */
export const SOURCE_BYTES_MAX = 64 * 1024 * 1024;
/** Nesting of expressions/blocks in the parser (the parser recurses on the host stack). */
export const PARSE_DEPTH_MAX = 256;
/** Code words in one function: jump targets are int32 word indices. */
export const FN_CODE_WORDS_MAX = 16_777_216;
/** Locals per function: frame slots are preallocated on entry. */
export const FN_LOCALS_MAX = 65_535;
/** Constants, types, functions per module. */
export const MODULE_TABLE_MAX = 1_048_576;
/** Largest `.lxm` the decoder accepts (bytes). */
export const MODULE_BYTES_MAX = 256 * 1024 * 1024;

/** Defaults from rules.md [45]. */
export const SNAPSHOT_EVERY_CYCLES = 1_000;
export const SNAPSHOT_EVERY_WAL_BYTES = 256 * 1024;
export const SNAPSHOTS_KEPT = 2;
export const WAL_SEGMENT_BYTES = 1024 * 1024;
/** Largest single WAL record: bounds reader memory on a corrupted length field. */
export const WAL_RECORD_BYTES_MAX = 64 * 1024 * 1024;

/** HTTP (rules.md [37]). */
export const HTTP_BODY_BYTES_DEFAULT = 1024 * 1024;
export const HTTP_PORT_DEFAULT = 4380;

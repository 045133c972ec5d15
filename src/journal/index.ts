/**
 * The journal: Lexum's node-wide write-ahead log (runtime.md §1, §4, §5; rules.md [35],
 * [42], [45]). Formats: docs/formats.md "## WAL". Other folders import from here only.
 */
export { openWal, Wal } from "./wal.ts";
export type { Durability, WalOptions, WalRecord, RecoveryReport, SegmentInfo } from "./wal.ts";
export { repairWal, repairCommand, analyzeWal } from "./recovery.ts";
export type { DescribeRecord, RepairOptions, RepairReport, WalDamage, DamageRow } from "./recovery.ts";
export { inspectWal, formatInspectEntry, verifyWal } from "./inspect.ts";
export type { InspectEntry, VerifyResult } from "./inspect.ts";
export { acquireLock, pidIsAlive } from "./lock.ts";
export type { DataDirLock, LockOptions } from "./lock.ts";
export { WalError } from "./errors.ts";
export type { WalErrorCode } from "./errors.ts";
export { crc32c, crc32cUpdate } from "./crc32c.ts";
export {
  MARKER_TYPE,
  RECORD_TYPE_MAX,
  WAL_BATCH_BYTES_MAX,
  WAL_FORMAT_VERSION,
  WAL_PAYLOAD_BYTES_MAX,
  WAL_SEGMENT_BYTES_MIN,
  segmentName,
  parseSegmentName,
} from "./format.ts";

/**
 * Typed operating errors of the journal (STYLE.md §4). Damage to data on disk is a
 * `DataDamagedError` (exit 3, from base/errors.ts); everything else the WAL can refuse is a
 * `WalError` with a stable code (exit 1):
 *
 * | code                   | meaning                                                          |
 * |------------------------|------------------------------------------------------------------|
 * | `WAL_NO_SPACE`         | a write hit ENOSPC/EDQUOT; the batch stays queued, a later flush retries it |
 * | `WAL_FAILED`           | an fsync (or a non-retryable write) failed; the WAL refuses all work until reopened |
 * | `WAL_RECORD_TOO_LARGE` | a payload past WAL_PAYLOAD_BYTES_MAX                              |
 * | `WAL_BATCH_FULL`       | the pending batch would pass WAL_BATCH_BYTES_MAX; flush first     |
 * | `WAL_READ_ONLY`        | a write on a WAL opened read-only                                 |
 * | `WAL_CLOSED`           | any call after close()                                            |
 * | `LOCK_HELD`            | another live process holds the data directory's LOCK             |
 */
import { LexumError } from "../base/errors.ts";

export type WalErrorCode =
  | "WAL_NO_SPACE"
  | "WAL_FAILED"
  | "WAL_RECORD_TOO_LARGE"
  | "WAL_BATCH_FULL"
  | "WAL_READ_ONLY"
  | "WAL_CLOSED"
  | "LOCK_HELD";

export class WalError extends LexumError {
  override name = "WalError";
  constructor(
    override readonly code: WalErrorCode,
    message: string,
    details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(code, message, 1, details, options);
  }
}

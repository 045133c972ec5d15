/**
 * Typed operating errors (STYLE.md §4): expected failures of the environment (disk full,
 * checksum mismatch, lock held, bad request) carry a stable code and the CLI exit code
 * they map to. User-program errors (diagnostics, traps) are values, not these.
 */
export type ExitCode = 0 | 1 | 2 | 3;

export class LexumError extends Error {
  override name = "LexumError";
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode: ExitCode = 1,
    readonly details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The data directory is damaged: the runtime refuses to start (exit 3) and says how to repair. */
export class DataDamagedError extends LexumError {
  override name = "DataDamagedError";
  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(code, message, 3, details);
  }
}

/** Renders any thrown value as one clear sentence. */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

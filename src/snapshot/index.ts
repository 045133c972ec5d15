/**
 * Front door of the snapshot module (STYLE.md §3): the immutable `.snapshot.json` store.
 * Format, naming, write protocol and crash windows: docs/formats.md "Snapshots".
 */
export {
  SnapshotStore,
  SnapshotDamage,
  SnapshotErrorCode,
  fallbackReport,
  SNAPSHOT_WRITES_CONCURRENT_DEFAULT,
  SNAPSHOT_YIELD_BYTES_DEFAULT,
  SNAPSHOT_YIELD_CHUNKS_DEFAULT,
  SNAPSHOT_HEADER_BYTES_MAX,
  type SnapshotStoreOptions,
  type SnapshotRef,
  type WrittenSnapshot,
  type NewestValid,
  type ExtraVerify,
} from "./store.ts";
export {
  SNAPSHOT_FORMAT,
  HEADER_KEYS,
  type SnapshotHeader,
  type SnapshotFile,
  type SnapshotHeaderAt,
} from "./format.ts";
export {
  encodeInstanceDirs,
  decodeInstanceDirs,
  encodeDomainDir,
  decodeDomainDir,
  snapshotFileName,
  parseSnapshotFileName,
  isValidInstanceId,
  PATH_COMPONENT_CHARS_MAX,
} from "./naming.ts";

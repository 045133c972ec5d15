/** Front door of the runtime (STYLE.md §3). */
export { Runtime, RuntimeInputError, OverloadedError, TransitionError, type RuntimeOptions, type SendAck, type SendOptions, type InstanceEnvelope, type RuntimeEvent, type Logger, validateMessage, argsDigest } from "./runtime.ts";
export { evalProgram, parseCall, EvalError, type EvalCall, type EvalReport, type EvalOptions } from "./eval.ts";
export { recover, type RecoveryInfo } from "./recovery.ts";
export { dataPaths, type DataPaths } from "./datadir.ts";
export { RecordType, RECORD_TYPE_NAMES, decodeRecord, recordInstance } from "./records.ts";

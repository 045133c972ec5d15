/** Front door of the VM (STYLE.md §3). */
export { Machine, type Frame, type SendOut, type IntentOut, type SegmentOutputs, type SegmentEnv, type SegmentResult, type GoalEval, type MachineOptions, type TierStats } from "./machine.ts";
export { TRAP_CODES, trapText, type Trap, type TrapCode, type TrapPos } from "./trap.ts";
export { Prng } from "./prng.ts";
export * from "./values/index.ts";

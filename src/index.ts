/**
 * The TypeScript API (interface.md "TypeScript API", rules.md [43]).
 *
 *   const program = compile(source);                 // throws CompileError with diagnostics
 *   const rt = await Runtime.open({ program, dataDir: "./.lexum" });
 *   rt.adapters.register("Payments.charge", async (args, ctx) => …);
 *   await rt.send(…); await rt.call(…); await rt.state(…); await rt.close();
 */
export { compile, compileProgram, CompileError, type CompileInput, type CompileResult } from "./compiler/compile.ts";
export { renderDiagnostics, diagnosticToJson } from "./compiler/render.ts";
export type { Diagnostic } from "./compiler/diagnostics.ts";
export { encodeModule, decodeModule, verifyModule, disassemble, type Module } from "./bytecode/index.ts";
export { Runtime, RuntimeInputError, OverloadedError, TransitionError, type RuntimeOptions, type SendAck, type InstanceEnvelope, type RuntimeEvent } from "./runtime/runtime.ts";
export { evalProgram, parseCall, type EvalReport } from "./runtime/eval.ts";
export { AdapterError, type Adapter, type AdapterContext } from "./effects/index.ts";
export { buildServer, type ServerOptions } from "./ingress/index.ts";
export { LexumError, DataDamagedError } from "./base/errors.ts";
export { NodeDisk } from "./base/node_disk.ts";
export { SimDisk } from "./base/sim_disk.ts";
export { SimClock } from "./base/sim_clock.ts";
export { systemClock, fixedTimeClock, type Clock } from "./base/clock.ts";

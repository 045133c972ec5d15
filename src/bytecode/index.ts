/**
 * The bytecode module's front door (STYLE.md §3): the in-memory `Module`, THE opcode and
 * built-in tables, and the four tools over them — encoder, decoder, verifier, disassembler.
 *
 * Typical use:
 *   compiler:  verifyModule(m); writeFile(encodeModule(withProgramHash(m)))
 *   loader:    const m = decodeModule(bytes); verifyModule(m); vm.run(m, …)
 */
export * from "./module.ts";
export * from "./opcodes.ts";
export * from "./builtins.ts";
export { ModuleFormatError, ModuleVerifyError } from "./errors.ts";
export { encodeModule, computeProgramHash, withProgramHash } from "./encode.ts";
export { decodeModule } from "./decode.ts";
export {
  verifyModule,
  TRANSITION_ONLY,
  NOT_IN_TRANSITION,
  DOMAIN_ONLY,
  NOT_IN_INIT,
  EMPTY_STACK_AT,
  TYPE_OPERAND_KINDS,
  RESULT_VARIANTS,
  RESULT_FIELDS,
} from "./verify.ts";
export { disassemble } from "./disasm.ts";

/**
 * Byte-level constants of the `.lxm` file shared by the encoder and the decoder, so the two
 * cannot drift apart. The layout itself is documented in `docs/formats.md "Module (.lxm)"`.
 *
 *   header   magic "LXM\0" (4) · format version u16 LE (2) · program hash (32)
 *   sections (id u8 · payload length u32 LE · payload), in increasing id order:
 *            1 consts, 2 types, 3 effects, 4 fns, 5 domains, 6 fuel (all required),
 *            7 debug (optional, always last)
 *
 * Program hash = SHA-256(magic ‖ version ‖ sections 1–6 exactly as framed in the file),
 * i.e. every byte except the hash field itself and the debug section.
 */
import type { FnKind, TypeKind } from "./module.ts";

export const HEADER_BYTES = 4 + 2 + 32;
/** Offset of the program hash inside the header. */
export const HEADER_HASH_OFFSET = 6;
/** id u8 + length u32. */
export const SECTION_FRAME_BYTES = 5;

export const SECTION = {
  consts: 1,
  types: 2,
  effects: 3,
  fns: 4,
  domains: 5,
  fuel: 6,
  debug: 7,
} as const;
export type SectionName = keyof typeof SECTION;
/** Section names by id (index 0 unused). */
export const SECTION_NAMES: readonly (SectionName | undefined)[] = (() => {
  const names: (SectionName | undefined)[] = [];
  for (const [name, id] of Object.entries(SECTION)) names[id] = name as SectionName;
  return names;
})();
/** Sections every module has, in file order. */
export const REQUIRED_SECTIONS: readonly SectionName[] = ["consts", "types", "effects", "fns", "domains", "fuel"];

/** Tag byte of a constant. Ints are split by sign so the magnitude is a plain uvar. */
export const CONST_TAG = { intNonNeg: 0, intNeg: 1, float: 2, string: 3 } as const;

/** Type kind byte, by position. */
export const TYPE_KINDS: readonly TypeKind[] = [
  "int",
  "float",
  "bool",
  "string",
  "json",
  "none",
  "list",
  "set",
  "map",
  "opt",
  "result",
  "record",
  "enum",
];
export const TYPE_KIND_CODE: Readonly<Record<TypeKind, number>> = Object.fromEntries(
  TYPE_KINDS.map((k, i) => [k, i]),
) as Record<TypeKind, number>;

/** Function kind byte, by position. */
export const FN_KINDS: readonly FnKind[] = ["fn", "transition", "init", "goal", "invariant"];
export const FN_KIND_CODE: Readonly<Record<FnKind, number>> = Object.fromEntries(
  FN_KINDS.map((k, i) => [k, i]),
) as Record<FnKind, number>;

/** Strict UTF-8: rejects malformed input and, unlike the default, keeps a leading U+FEFF. */
export const utf8Strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** True when `s` has no lone surrogate, i.e. it survives a UTF-8 round trip unchanged. */
export function isWellFormedString(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c >= 0xdc00) return false;
    const d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
    if (d < 0xdc00 || d > 0xdfff) return false;
    i++;
  }
  return true;
}

/**
 * Front door of the VM's value model (STYLE.md §3). See README.md for the representation,
 * the canonical hash layout and the codecs.
 */
export { type Value, type Key, Composite, weightOf, hashStats, ZERO_HASH } from "./core.ts";
export { PList } from "./plist.ts";
export { PMap, PSet } from "./pmap.ts";
export { priorityOf } from "./treap.ts";
export {
  Rec,
  Variant,
  type RecordShape,
  type EnumShape,
  type VariantShape,
  type Shape,
  RESULT_SHAPE,
  RESULT_OK,
  RESULT_ERR,
  EFFECT_ERROR_SHAPE,
  makeRecordShape,
  makeEnumShape,
  makeVariant,
  unitVariant,
  ok,
  err,
  effectError,
} from "./record.ts";
export { Json, type JsonPlain, isWellFormed } from "./json_value.ts";
export { equals, compareKeys } from "./equality.ts";
export { hashValue, hashKeyOf, stateHash, encodeCanonical, depthOf } from "./hash.ts";
export { TypeTable } from "./type_table.ts";
export {
  toJson,
  toJsonText,
  toJsonChunks,
  fromJson,
  castJson,
  tryCastJson,
  type FromJsonOptions,
  type CastResult,
} from "./typed_json.ts";
export { toTagged, fromTagged } from "./tagged.ts";
export { writeValue, readValue, encodeValue, decodeValue } from "./binary.ts";
export { JsonShapeError, ValueCodecError, pointerSegment } from "./errors.ts";
export { VALUE_DEPTH_MAX } from "./limits.ts";

/**
 * The built-in table: one entry per type-specialised built-in. The checker resolves a
 * surface call (`len(xs)`, `xs.len()`) to one of these by the argument types; codegen emits
 * `BUILTIN id`; the VM implements each id. Every built-in pops `argc` values and pushes one.
 *
 * Mutating built-ins (`push`, `insert`, …) return the updated collection; codegen stores it
 * back into the place they were called on (value semantics).
 */
export type BuiltinInfo = {
  readonly name: string;
  /** The name a program writes (several specialised entries share one). Internal ones start with `$`. */
  readonly surface: string;
  readonly argc: number;
  readonly doc: string;
};

const table = [
  ["len_list", "len", 1, "Number of elements of a list."],
  ["len_map", "len", 1, "Number of entries of a map."],
  ["len_set", "len", 1, "Number of elements of a set."],
  ["len_str", "len", 1, "Number of code points of a string."],
  ["list_push", "push", 2, "(xs, x) → xs with x appended."],
  ["list_last", "pop", 1, "(xs) → last element or none (the value half of `pop`)."],
  ["list_pop", "pop", 1, "(xs) → xs without its last element (the update half of `pop`)."],
  ["list_insert", "insert", 3, "(xs, i, x) → xs with x inserted before index i (0 ≤ i ≤ len, else LX-INDEX)."],
  ["list_remove", "remove", 2, "(xs, i) → xs without index i (LX-INDEX when out of range)."],
  ["map_insert", "insert", 3, "(m, k, v) → m with k set to v."],
  ["map_remove", "remove", 2, "(m, k) → m without k (no-op when absent)."],
  ["set_insert", "insert", 2, "(s, x) → s with x."],
  ["set_remove", "remove", 2, "(s, x) → s without x."],
  ["list_get", "get", 2, "(xs, i) → element or none."],
  ["map_get", "get", 2, "(m, k) → value or none."],
  ["map_has", "has", 2, "Whether the map has the key."],
  ["set_has", "has", 2, "Whether the set has the element."],
  ["list_has", "has", 2, "Whether the list contains the element (structural equality)."],
  ["str_has", "has", 2, "Whether the string contains the substring."],
  ["map_keys", "keys", 1, "Keys in ascending order."],
  ["map_values", "values", 1, "Values in ascending key order."],
  ["list_slice", "slice", 3, "(xs, a, b) → elements a..b (half-open, clamped)."],
  ["str_slice", "slice", 3, "(s, a, b) → code points a..b (half-open, clamped)."],
  ["list_index_of", "index_of", 2, "First index of an element, or none."],
  ["str_index_of", "index_of", 2, "First code-point index of a substring, or none."],
  ["list_sort_num", "sort", 1, "Ascending sort of an int or float list."],
  ["list_sort_str", "sort", 1, "Ascending sort of a string list by code points."],
  ["list_reverse", "reverse", 1, "The list reversed."],
  ["sum_int", "sum", 1, "Sum of an int list (LX-OVERFLOW)."],
  ["sum_float", "sum", 1, "Sum of a float list, left to right."],
  ["min_num", "min", 2, "Smaller of two numbers."],
  ["max_num", "max", 2, "Larger of two numbers."],
  ["min_str", "min", 2, "Smaller of two strings."],
  ["max_str", "max", 2, "Larger of two strings."],
  ["list_min_num", "min", 1, "Smallest element of a number list, or none."],
  ["list_max_num", "max", 1, "Largest element of a number list, or none."],
  ["list_min_str", "min", 1, "Smallest element of a string list, or none."],
  ["list_max_str", "max", 1, "Largest element of a string list, or none."],
  ["abs_int", "abs", 1, "Absolute value of an int."],
  ["abs_float", "abs", 1, "Absolute value of a float."],
  ["floor", "floor", 1, "Largest integral float ≤ x."],
  ["ceil", "ceil", 1, "Smallest integral float ≥ x."],
  ["round", "round", 1, "Nearest integral float, halves away from zero."],
  ["sqrt", "sqrt", 1, "Square root (negative input traps LX-FLOAT)."],
  ["to_float", "to_float", 1, "int → float."],
  ["to_int", "to_int", 1, "float → int, truncated (LX-OVERFLOW when out of range, LX-FLOAT for NaN)."],
  ["parse_int", "parse_int", 1, "`-?[0-9]+` → int, else none (none when out of range)."],
  ["parse_float", "parse_float", 1, "Decimal float literal → float, else none."],
  ["upper", "upper", 1, "ASCII letters to upper case."],
  ["lower", "lower", 1, "ASCII letters to lower case."],
  ["trim", "trim", 1, "Strip ASCII whitespace at both ends."],
  ["split", "split", 2, "(s, sep) → list of parts (sep \"\" splits into code points)."],
  ["join", "join", 2, "(parts, sep) → one string."],
  ["starts_with", "starts_with", 2, "Prefix test."],
  ["ends_with", "ends_with", 2, "Suffix test."],
  ["replace", "replace", 3, "(s, a, b) → s with every occurrence of a replaced by b."],
  ["set_union", "union", 2, "Union of two sets."],
  ["set_difference", "difference", 2, "Elements of the first set not in the second."],
  ["set_intersection", "intersection", 2, "Elements in both sets."],
  ["map_key_at", "$key_at", 2, "(m, i) → the i-th key in ascending order (loops)."],
  ["map_val_at", "$val_at", 2, "(m, i) → the value of the i-th key (loops)."],
  ["set_at", "$set_at", 2, "(s, i) → the i-th element in ascending order (loops)."],
  ["str_identity", "to_string", 1, "string → the same string."],
] as const;

export type BuiltinName = (typeof table)[number][0];

export const BUILTINS: readonly BuiltinInfo[] = table.map(([name, surface, argc, doc]) => ({ name, surface, argc, doc }));

export const Builtin = Object.fromEntries(BUILTINS.map((b, i) => [b.name, i])) as { readonly [K in BuiltinName]: number };

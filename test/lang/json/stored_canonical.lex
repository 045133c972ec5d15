// A json state field is stored canonically (object keys sorted).
// call: T[t].Run(j: {"b": 1, "a": [true, null]})
// state: T[t] = {"j": {"a": [true, null], "b": 1}}
domain T {
  state { j: json? = none }
  transition Run(j: json) {
    state.j = j
  }
}

// `j["key"]` reads a member by a computed name.
// call: T[t].Run(j: {"a-b": "x"}, k: "a-b")
//   reply: "x"
domain T {
  state { x: int = 0 }
  transition Run(j: json, k: string) {
    return j[k] as string
  }
}

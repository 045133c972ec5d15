// `m["k"].f = …` assigns a field of a record held in a map.
// call: T[t].Run()
//   reply: {"a": {"f": 7, "g": 2}}
type R { f: int, g: int }
domain T {
  state { m: map<string, R> = {"a": R { f: 1, g: 2 }} }
  transition Run() {
    m["a"].f = 7
    return m
  }
}

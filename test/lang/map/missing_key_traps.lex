// Reading a missing key with `m[k]` traps LX-INDEX (use `get` for an optional).
// call: T[t].Run()
//   trap: LX-INDEX @ 9:12
//   message: key "z" is not in the map
domain T {
  state { x: int = 0 }
  transition Run() {
    let m = {"a": 1}
    return m["z"]
  }
}

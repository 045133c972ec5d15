// `m[k] = v` inserts a missing key or replaces an existing one; `m[k] += d` needs the key.
// call: T[t].Run()
//   reply: {"a": 11, "b": 2}
// call: T[t].Bump()
//   trap: LX-INDEX
domain T {
  state { m: map<string, int> = {"a": 1} }
  transition Run() {
    m["b"] = 2
    m["a"] += 10
    return m
  }
  transition Bump() {
    m["zz"] += 1
  }
}

// Newlines are ignored inside (), [] and collection or record literal braces.
// call: T[t].Run()
//   reply: {"total": 10, "n": 2}
type R { total: int, n: int }
domain T {
  state { x: int = 0 }
  transition Run() {
    let xs = [
      1,
      2
    ]
    let m = {
      "a": 3,
      "b": 4
    }
    return R {
      total: sum(
        xs
      ) + m["a"] + m["b"],
      n: len(xs)
    }
  }
}

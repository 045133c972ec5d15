// Locals (and loop state) computed before an await are still there after it.
// effect: Log.write = {"$tag": "Ok", "value": true}
// call: T[t].Run(n: 3)
//   reply: "3 [1, 2] ab"
domain T {
  state { x: int = 0 }
  transition Run(n: int) {
    let xs = [1, 2]
    var s = "a"
    await Log.write(message: "m")
    s = "{s}b"
    return "{n} [{xs[0]}, {xs[1]}] {s}"
  }
}

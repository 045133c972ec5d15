// `await Effect(…)` as a statement waits and ignores the result.
// effect: Log.write = {"$tag": "Ok", "value": true}
// call: T[t].Run()
//   reply: 2
// cycle: T[t] = 2
domain T {
  state { x: int = 0 }
  transition Run() {
    x = 1
    await Log.write(message: "m")
    x += 1
    return x
  }
}

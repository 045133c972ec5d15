// Each segment after an await runs at the logical time of the result's input.
// now: 1000
// effect: Log.write = {"$tag": "Ok", "value": true}
// call: T[t].Run()
//   reply: [1000, 1001]
domain T {
  state { x: int = 0 }
  transition Run() {
    let a = now()
    await Log.write(message: "m")
    return [a, now()]
  }
}

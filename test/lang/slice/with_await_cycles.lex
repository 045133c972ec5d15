// An await inside a slice is a commit point too.
// effect: Log.write = {"$tag": "Ok", "value": true}
// call: T[t].Run()
// cycle: T[t] = 3
domain T {
  state { x: int = 0 }
  transition Run() {
    slice a {
      x = 1
      await Log.write(message: "m")
      x = 2
    }
    slice b { x = 3 }
  }
}

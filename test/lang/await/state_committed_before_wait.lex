// The state changed before an await is committed when the await commits; a later failure keeps it.
// effect: Log.write = {"$tag": "Ok", "value": true}
// call: T[t].Run()
//   trap: LX-FAIL
// state: T[t] = {"x": 1}
// cycle: T[t] = 2
domain T {
  state { x: int = 0 }
  transition Run() {
    x = 1
    await Log.write(message: "m")
    x = 2
    fail "after the await"
  }
}

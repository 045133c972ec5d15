// An await inside a branch does not end the slice: the slice end is also reached without it.
// effect: Log.write = {"$tag": "Ok", "value": true}
// call: T[t].Run(go: true)
// call: T[t].Run(go: false)
// cycle: T[t] = 5
domain T {
  state { n: int = 0 }
  transition Run(go: bool) {
    slice first {
      if go { await Log.write(message: "m") }
    }
    slice second { n += 1 }
  }
}

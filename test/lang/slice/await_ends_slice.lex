// An await that ends a slice coincides with the slice's end: the next slice starts with its result (four cycles here — two awaits, the third slice, the return — not six).
// effect: Log.write = {"$tag": "Ok", "value": true}
// effect: Log.write = {"$tag": "Ok", "value": false}
// call: T[t].Run()
//   reply: [true, true]
// cycle: T[t] = 4
domain T {
  state { a: bool = false, b: bool = false }
  transition Run() {
    var r: result<bool> = Ok(false)
    slice first {
      r = await Log.write(message: "one")
    }
    slice second {
      match r {
        Ok(v) => { a = v }
        Err(_) => { a = false }
      }
      await Log.write(message: "two")
    }
    slice third {
      b = true
    }
    return [a, b]
  }
}

// A map literal that repeats a key keeps the last value (like inserting in order).
// call: T[t].Run()
//   reply: {"a": 3, "b": 2}
domain T {
  state { x: int = 0 }
  transition Run() {
    return {"a": 1, "b": 2, "a": 3}
  }
}

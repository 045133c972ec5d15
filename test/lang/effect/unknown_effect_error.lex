// An unknown effect is an error (with a suggestion).
// error: LX0210 @ 7:10
//   message: did you mean `Log.write`
domain T {
  state { x: int = 0 }
  transition Run() {
    emit Log.writ(message: "m")
  }
}

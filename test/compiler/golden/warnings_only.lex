domain Quiet {
  state { x: int = 0 }
  transition Run() {
    var y = 1
    let z = 2
    x = y
  }
}

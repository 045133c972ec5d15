// An instance id longer than 256 UTF-8 bytes traps LX-ID; 256 bytes is fine.
// call: T[t].Run(n: 256)
//   reply: 256
// call: T[t].Run(n: 257)
//   trap: LX-ID
//   message: at most 256
domain T {
  state { x: int = 0 }
  transition Run(n: int) {
    var id = ""
    for i in 0..n { id = "{id}a" }
    send T[id].Other()
    return len(id)
  }
  transition Other() { x = 1 }
}

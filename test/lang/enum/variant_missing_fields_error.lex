// A variant with fields cannot be used bare as a value.
// error: LX0211 @ 8:9
//   message: construct it as `Failed(reason: …)`
enum Status { Open, Failed(reason: string) }
domain T {
  state { s: Status = Open }
  transition Run() {
    s = Failed
  }
}

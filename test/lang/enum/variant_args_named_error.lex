// Variant-construction arguments are named.
// error: LX0114 @ 7:16
enum Status { Open, Failed(reason: string) }
domain T {
  state { s: Status = Open }
  transition Run() {
    s = Failed("x")
  }
}

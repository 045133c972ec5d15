// Constructing an unknown record type is an error at its name.
// error: LX0203 @ 6:12
domain T {
  state { x: int = 0 }
  transition Run() {
    return Itme { sku: "a" }
  }
}

domain Counter {
  state { count: int = 0 }

  transition Add(by: int) {
    count = max(count, by
  }

  transition Reset() {
    count = "zero"
  }
}

fn stamp(x: int) -> int {
  return x + now()
}

domain Clock {
  state { last: int = 0, seen: list<int> = [] }

  fn remember(t: int) {
    last = t
    seen.push(t)
  }

  transition Tick() { remember(stamp(1)) }
}

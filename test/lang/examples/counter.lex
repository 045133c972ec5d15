// The smallest useful domain: a durable counter.
domain Counter {
  state {
    count: int = 0
  }

  transition Increment(by: int) {
    assert by > 0, "increment must be positive"
    count += by
    return count
  }

  transition Reset() {
    count = 0
  }
}
// call: Counter[c1].Increment(by: 5)
//   reply: 5
// call: Counter[c1].Increment(by: 0)
//   trap: LX-ASSERT @ 8:5
// call: Counter[c1].Reset()
//   reply: null
// state: Counter[c1] = {"count": 0}
// cycle: Counter[c1] = 3

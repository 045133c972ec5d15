// An effect parameter named `key` is an error: `key:` is the idempotency key.
// error: LX0221 @ 3:18
effect Store.put(key: string, value: string) -> bool
domain T {
  state { x: int = 0 }
}

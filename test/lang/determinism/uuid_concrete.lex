// `uuid()` is an RFC 4122 version-4 string from the same deterministic stream.
// call: T[t].Run()
//   reply: ["31929098-ee99-4a7c-b289-670b4cd07a5f", "aa4d5d6a-dbe6-437a-94b1-b88088e7be8a"]
domain T {
  state { x: int = 0 }
  transition Run() { return [uuid(), uuid()] }
}

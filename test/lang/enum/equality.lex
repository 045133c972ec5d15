// Enum values compare structurally with == and !=.
// call: T[t].Run()
//   reply: [true, false, true]
enum Status { Open, Failed(reason: string) }
domain T {
  state { s: Status = Open }
  transition Run() {
    return [s == Open, Failed(reason: "a") == Failed(reason: "b"), s != Status.Failed(reason: "a")]
  }
}

// `parse_int` accepts `-?[0-9]+` only and none when out of range.
// call: T[t].Run()
//   reply: [42, -7, null, null, null, null, 9007199254740991, null, 7]
domain T {
  state { x: int = 0 }
  transition Run() {
    return [parse_int("42"), parse_int("-7"), parse_int("+7"), parse_int("4.2"), parse_int(""), parse_int(" 1"), parse_int("9007199254740991"), parse_int("9007199254740992"), "007".parse_int()]
  }
}

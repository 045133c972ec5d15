// Assigning past the end traps LX-INDEX (lists grow only by push/insert).
// call: T[t].Run()
//   trap: LX-INDEX
// state: T[t] = {"xs": [1]}
domain T {
  state { xs: list<int> = [1] }
  transition Run() {
    xs[1] = 2
  }
}

// `/* … */` comments may sit inside a line or span several lines.
// call: T[t].Run()
//   reply: 6
domain T {
  state { x: int = 0 }
  /* a block comment
     over two lines */
  transition Run() {
    return 1 + /* inline */ 5
  }
}

// An unknown name is an error with a suggestion.
// error: LX0201 @ 7:12
//   message: did you mean `total`
domain T {
  state { total: int = 0 }
  transition Run() {
    return totl + 1
  }
}

// Block comments do not nest: the first `*/` closes the comment, so the rest is code.
// error: LX0103 @ 6:33
domain T {
  state { x: int = 0 }
  transition Run() {
    /* outer /* inner */ x = 1 */
  }
}

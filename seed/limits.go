package seed

// MaxRowBytes bounds a row of a file, separators and quotes included (a
// quoted cell may span lines): reading holds no more of a row than this
// before it has seen the row whole.
const MaxRowBytes = 256 << 10

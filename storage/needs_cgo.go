//go:build !cgo

package storage

// Mend keeps its data in SQLite through go-sqlite3, which is C code: it is
// built only with cgo and a C compiler. Without them the build stops here,
// on the line below, with this sentence, instead of at an undefined name
// deep in the driver.
var _ int = "Mend needs cgo and a C compiler: install gcc (apt install gcc, apk add gcc musl-dev, xcode-select --install) and build with CGO_ENABLED=1"

package bot

// The built-in packs are TOML files, and conversations reads no TOML: the
// config package sets the decoder that reads them when it is imported, as
// every program that builds a library does.
import _ "mend/config"

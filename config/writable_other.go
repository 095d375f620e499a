//go:build !unix

package config

// writable reports whether this process may create files in dir; where
// that cannot be asked, the backup itself says so.
func writable(string) bool { return true }

//go:build unix

package config

import "syscall"

// writable reports whether this process may create files in dir.
func writable(dir string) bool {
	const wOK = 0x2 // W_OK in unistd.h
	return syscall.Access(dir, wOK) == nil
}

//go:build unix

package storage

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// nobodyEnv marks the child process that RanAsNobody starts.
const nobodyEnv = "MEND_TEST_AS_NOBODY"

// nobody is the conventional unprivileged user and group on Linux.
const nobody = 65534

// RanAsNobody lets a test about file permissions run for real when the tests
// run as root, who writes through permission bits: it runs the calling test
// again in a child process as the user nobody and reports its result. It
// returns true when it did so (the caller returns at once), false when the
// caller runs the test itself.
func RanAsNobody(t *testing.T) bool {
	t.Helper()
	if os.Geteuid() != 0 {
		return false
	}
	if os.Getenv(nobodyEnv) != "" {
		t.Fatal("the child process meant to run as nobody runs as root")
	}
	// The test binary is in a directory only root may enter: copy it to
	// one nobody can, with a temporary directory of nobody's own.
	dir, err := os.MkdirTemp("", "mend-as-nobody-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	tmp := filepath.Join(dir, "tmp")
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(tmp, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(tmp, nobody, nobody); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "storage.test")
	if err := copyExecutable(bin); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-test.run=^"+t.Name()+"$", "-test.v", "-test.count=1")
	cmd.Dir = tmp
	cmd.Env = append(withoutCoverage(os.Environ()), nobodyEnv+"=1", "TMPDIR="+tmp)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody}}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("as the user nobody (the tests run as root): %v\n%s", err, out)
	}
	if !bytes.Contains(out, []byte("--- PASS: "+t.Name())) {
		t.Fatalf("the test did not run as the user nobody:\n%s", out)
	}
	t.Logf("ran as the user nobody, because the tests run as root")
	return true
}

func copyExecutable(to string) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	src, err := os.Open(exe)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}

// withoutCoverage drops the coverage directory, which nobody cannot write.
func withoutCoverage(env []string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "GOCOVERDIR=") {
			out = append(out, kv)
		}
	}
	return out
}

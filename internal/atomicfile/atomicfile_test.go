package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// entries lists the names in dir.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

// mode is the permission bits of path.
func mode(t *testing.T, path string) fs.FileMode {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

// TestModes writes under two umasks: Exact gives its mode whatever the
// umask and the old file's mode; AsCreate gives a new file its mode less
// the umask and keeps the mode of a file it replaces. It sets the
// process umask, so it does not run in parallel.
func TestModes(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name  string
		old   fs.FileMode // 0: no file there before
		umask int
		perm  Perm
		want  fs.FileMode
	}{
		{"exact-new", 0, 0o022, Exact(0o600), 0o600},
		{"exact-new-umask0", 0, 0, Exact(0o600), 0o600},
		{"exact-wide", 0, 0o077, Exact(0o644), 0o644},
		{"exact-over-0644", 0o644, 0o022, Exact(0o600), 0o600},
		{"create-new-022", 0, 0o022, AsCreate(0o666), 0o644},
		{"create-new-077", 0, 0o077, AsCreate(0o666), 0o600},
		{"create-new-002", 0, 0o002, AsCreate(0o666), 0o664},
		{"create-over-0640", 0o640, 0o022, AsCreate(0o666), 0o640},
		{"create-over-0640-umask077", 0o640, 0o077, AsCreate(0o666), 0o640},
		{"create-over-0604", 0o604, 0, AsCreate(0o666), 0o604},
	}
	for _, c := range cases {
		path := filepath.Join(dir, c.name)
		if c.old != 0 {
			if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, c.old); err != nil {
				t.Fatal(err)
			}
		}
		old := syscall.Umask(c.umask)
		err := WriteFile(path, []byte("new"), c.perm)
		syscall.Umask(old)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := mode(t, path); got != c.want {
			t.Errorf("%s: mode %03o, want %03o", c.name, got, c.want)
		}
		if data, _ := os.ReadFile(path); string(data) != "new" {
			t.Errorf("%s: content %q, want new", c.name, data)
		}
	}
	if got := entries(t, dir); len(got) != len(cases) {
		t.Errorf("files left: %v", got)
	}
}

// TestConcurrentWriters has many writers of one target at once, as two
// reqsh processes saving one history or session file: each temporary
// file has its own name, so the target ends up one writer's whole
// content, never a mix, and no temporary file is left.
func TestConcurrentWriters(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "history")
	const writers = 16
	contents := map[string]bool{}
	names := make(chan string, writers)
	var wg sync.WaitGroup
	for i := range writers {
		content := strings.Repeat(fmt.Sprintf("line %d\n", i), 2000)
		contents[content] = true
		wg.Add(1)
		go func() {
			defer wg.Done()
			f, err := Create(path, Exact(0o600))
			if err != nil {
				t.Error(err)
				return
			}
			names <- f.f.Name()
			for _, line := range strings.SplitAfter(content, "\n") {
				if _, err := f.Write([]byte(line)); err != nil {
					t.Error(err)
				}
			}
			if err := f.Commit(); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	close(names)
	seen := map[string]bool{}
	for n := range names {
		if seen[n] {
			t.Errorf("temporary name %s used twice", n)
		}
		seen[n] = true
		if !strings.HasPrefix(filepath.Base(n), ".history.tmp-") || filepath.Dir(n) != dir {
			t.Errorf("temporary file %s: want .history.tmp-* beside the target", n)
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !contents[string(data)] {
		t.Errorf("the file is no one writer's content (%d bytes)", len(data))
	}
	if got := entries(t, dir); len(got) != 1 {
		t.Errorf("files left: %v", got)
	}
}

// TestFailureLeavesNothing makes each step fail and checks that the old
// file is intact, no temporary file is left, and the error names the
// target.
func TestFailureLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.json")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	check := func(what string, err error) {
		t.Helper()
		if err == nil {
			t.Fatalf("%s: no error", what)
		}
		if !strings.Contains(err.Error(), path) || strings.Contains(err.Error(), ".tmp-") {
			t.Errorf("%s: error %q, want it to name the target and not the temporary file", what, err)
		}
		if data, _ := os.ReadFile(path); string(data) != "old" {
			t.Errorf("%s: the old file changed to %q", what, data)
		}
		if got := entries(t, dir); len(got) != 1 {
			t.Errorf("%s: files left: %v", what, got)
		}
	}

	syncFile = func(*os.File) error { return errors.New("disk full") }
	err := WriteFile(path, []byte("new"), Exact(0o600))
	syncFile = (*os.File).Sync
	check("sync", err)
	if !strings.Contains(err.Error(), "disk full") {
		t.Errorf("sync: error %q, want the cause", err)
	}

	f, err := Create(path, Exact(0o600))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte("partial")); err != nil {
		t.Fatal(err)
	}
	f.Abort()
	f.Abort()
	check("abort", f.Commit())

	f, err = Create(path, Exact(0o600))
	if err != nil {
		t.Fatal(err)
	}
	f.f.Close() // the write fails
	_, err = f.Write([]byte("new"))
	f.Abort()
	check("write", err)

	// The rename fails: the target is now a directory that is not empty.
	dirPath := filepath.Join(dir, "d")
	if err := os.MkdirAll(filepath.Join(dirPath, "x"), 0o700); err != nil {
		t.Fatal(err)
	}
	err = WriteFile(dirPath, []byte("new"), AsCreate(0o666))
	if err == nil || !errors.Is(err, syscall.EEXIST) && !errors.Is(err, syscall.ENOTEMPTY) && !errors.Is(err, syscall.EISDIR) {
		t.Errorf("rename over a directory: err = %v", err)
	}
	if got := entries(t, dir); len(got) != 2 {
		t.Errorf("rename: files left: %v", got)
	}

	_, err = Create(filepath.Join(dir, "missing", "f"), Exact(0o600))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("create in a missing directory: err = %v, want fs.ErrNotExist", err)
	}
}

package session

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestNetrcCache: the file (and its path) is looked at again once
// netrcRecheck has passed, not before; an edit is read then, another
// path is read then, a removed file is gone then.
func TestNetrcCache(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, ".netrc")
	write := func(s string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	login := func(entries []netrcEntry) string {
		e, _ := lookupNetrc(entries, "h")
		return e.login
	}
	var c netrcCache
	t0 := time.Now()
	write("machine h login one password p\n")
	if e, _, _, found := c.load(func() string { return path }, t0); !found || login(e) != "one" {
		t.Fatalf("first load: found %v, login %q", found, login(e))
	}
	write("machine h login second-edit password p\n")
	if e, _, _, _ := c.load(func() string { return path }, t0.Add(netrcRecheck/2)); login(e) != "one" {
		t.Errorf("within netrcRecheck: login %q, want the file as first read", login(e))
	}
	if e, _, _, _ := c.load(func() string { return path }, t0.Add(netrcRecheck+time.Millisecond)); login(e) != "second-edit" {
		t.Errorf("after netrcRecheck: login %q, want the edit", login(e))
	}
	other := filepath.Join(dir, "other")
	if err := os.WriteFile(other, []byte("machine h login other password p\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if e, _, _, _ := c.load(func() string { return other }, t0.Add(2*netrcRecheck+2*time.Millisecond)); login(e) != "other" {
		t.Errorf("another path after netrcRecheck: login %q, want its entry", login(e))
	}
	if err := os.Remove(other); err != nil {
		t.Fatal(err)
	}
	if _, _, _, found := c.load(func() string { return other }, t0.Add(4*netrcRecheck)); found {
		t.Error("a removed file is still found after netrcRecheck")
	}
}

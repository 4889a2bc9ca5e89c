package repl

import (
	"bytes"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestHumanBytes(t *testing.T) {
	cases := map[int64]string{0: "0 B", 1023: "1023 B", 1024: "1.0 KiB", 1536: "1.5 KiB", 256 << 20: "256.0 MiB", 3 << 30: "3.0 GiB"}
	for n, want := range cases {
		if got := humanBytes(n); got != want {
			t.Errorf("humanBytes(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestProgressBar(t *testing.T) {
	var w bytes.Buffer
	p := newProgressBar(&w)
	p.update(0, 4<<20)
	p.update(1<<20, 4<<20) // within 100ms of the last draw: skipped
	p.update(4<<20, 4<<20) // the end is always drawn
	p.end("out.bin")
	got := w.String()
	if strings.Count(got, "\r\x1b[K") != 3 {
		t.Errorf("want 3 redraws (start, end, summary), got %q", got)
	}
	if !strings.Contains(got, "4.0 MiB / 4.0 MiB  100%") || !strings.Contains(got, "saved 4.0 MiB to out.bin in ") {
		t.Errorf("progress output %q", got)
	}
	if strings.Contains(got, "1.0 MiB /") {
		t.Errorf("a redraw within 100ms was not skipped: %q", got)
	}
}

// TestDownloadMode saves bodies with -o under two umasks: a new file gets
// 0666 less the umask, as curl -o and a shell's > give it; a file that is
// replaced keeps its mode (0640 stays 0640, whatever the umask). It sets
// the process umask, so it does not run in parallel.
func TestDownloadMode(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "body of "+r.URL.Path)
	}))
	defer srv.Close()
	dir := t.TempDir()
	existing := filepath.Join(dir, "existing.txt")
	if err := os.WriteFile(existing, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(existing, 0o640); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		umask int
		file  string
		want  fs.FileMode
	}{
		{0o022, "new-022.txt", 0o644},
		{0o077, "new-077.txt", 0o600},
		{0o002, "new-002.txt", 0o664},
		{0o022, "existing.txt", 0o640},
		{0o077, "existing.txt", 0o640},
	} {
		path := filepath.Join(dir, c.file)
		old := syscall.Umask(c.umask)
		var out bytes.Buffer
		code := Main([]string{srv.URL}, strings.NewReader("get /"+c.file+" -o "+path+"\n"), &out, &out, testEnv(t))
		syscall.Umask(old)
		if code != ExitOK {
			t.Fatalf("umask %03o, -o %s: exit %d: %s", c.umask, c.file, code, out.String())
		}
		info, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := info.Mode().Perm(); got != c.want {
			t.Errorf("umask %03o, -o %s: mode %03o, want %03o", c.umask, c.file, got, c.want)
		}
		if data, _ := os.ReadFile(path); string(data) != "body of /"+c.file {
			t.Errorf("-o %s holds %q", c.file, data)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 4 {
		t.Errorf("%d files in the directory, want 4 (no part files left)", len(entries))
	}
}

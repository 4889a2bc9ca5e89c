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
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

func TestHumanBytes(t *testing.T) {
	cases := map[int64]string{0: "0 B", 1023: "1023 B", 1024: "1.0 KiB", 1536: "1.5 KiB", 256 << 20: "256.0 MiB", 3 << 30: "3.0 GiB"}
	for n, want := range cases {
		if got := humanBytes(n); got != want {
			t.Errorf("humanBytes(%d) = %q, want %q", n, got, want)
		}
	}
}

// fakeClock is a clock tests move by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

// TestProgressBar draws a download of 4 MiB over 2 seconds on a fake
// clock: redrawn in place at most ten times a second (the end always),
// with the bar, percent, bytes, rate and time left, within the width;
// then the summary line.
func TestProgressBar(t *testing.T) {
	var w bytes.Buffer
	clock := &fakeClock{t: time.Unix(1e9, 0)}
	p := newProgressBar(&w, clock.now, func() int { return 80 })
	p.update(0, 4<<20)
	clock.advance(time.Second)
	p.update(1<<20, 4<<20)
	clock.advance(50 * time.Millisecond)
	p.update(2<<20, 4<<20) // within 100ms of the last draw: skipped
	clock.advance(950 * time.Millisecond)
	p.update(4<<20, 4<<20) // the end is always drawn
	p.end("out.bin")
	got := w.String()
	draws := strings.Split(got, "\r\x1b[K")[1:]
	if len(draws) != 4 {
		t.Fatalf("want 4 draws (start, 1 MiB, end, summary), got %q", draws)
	}
	for _, want := range []struct {
		draw int
		text string
	}{
		{1, " 25%  1.0 MiB / 4.0 MiB  1.0 MiB/s  ETA 0:03"},
		{1, "[========                        ]  25%"},
		{2, "100%  4.0 MiB / 4.0 MiB  2.0 MiB/s  ETA 0:00"},
		{3, "saved 4.0 MiB to out.bin in 2s (2.0 MiB/s)\n"},
	} {
		if !strings.Contains(draws[want.draw], want.text) {
			t.Errorf("draw %d = %q, want %q in it", want.draw, draws[want.draw], want.text)
		}
	}
	for _, d := range draws[:3] {
		if len(d) > 79 {
			t.Errorf("a draw of %d columns on 80: %q", len(d), d)
		}
	}
	if strings.Contains(got, "2.0 MiB /") {
		t.Errorf("a redraw within 100ms was not skipped: %q", got)
	}
}

// TestProgressBarLine checks lines for unknown sizes and narrow
// terminals.
func TestProgressBarLine(t *testing.T) {
	p := &progressBar{}
	cases := []struct {
		written, total int64
		elapsed        time.Duration
		cols           int
		want           string
	}{
		{3 << 20, -1, 2 * time.Second, 79, "3.0 MiB  1.5 MiB/s"},
		{3 << 20, -1, 2 * time.Second, 10, "3.0 MiB  1"},
		{1 << 20, 2 << 20, time.Second, 45, "50%  1.0 MiB / 2.0 MiB  1.0 MiB/s  ETA 0:01"},
		{1 << 20, 2 << 20, time.Second, 20, "50%  1.0 MiB / 2.0 M"},
		{0, 2 << 20, time.Second, 79, "[" + strings.Repeat(" ", 39) + "]   0%  0 B / 2.0 MiB  0 B/s  ETA --:--"},
		{1 << 20, 8 << 30, time.Second, 79, "[" + strings.Repeat(" ", 29) + "]   0%  1.0 MiB / 8.0 GiB  1.0 MiB/s  ETA 2:16:31"},
	}
	for _, c := range cases {
		got := p.line(c.written, c.total, c.elapsed, c.cols)
		if got != c.want || len(got) > c.cols {
			t.Errorf("line(%d, %d, %s, %d) = %q, want %q", c.written, c.total, c.elapsed, c.cols, got, c.want)
		}
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

// TestDownloadUnusableTarget gives -o a target that cannot be written:
// one error line naming it, and the server gets nothing.
func TestDownloadUnusableTarget(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		io.WriteString(w, "body")
	}))
	defer srv.Close()
	dir := t.TempDir()
	file := filepath.Join(dir, "file.txt")
	os.WriteFile(file, []byte("x"), 0o600)
	targets := map[string]string{
		"a directory":            dir,
		"a directory, slash":     dir + "/",
		"a missing folder":       filepath.Join(dir, "nope", "out.bin"),
		"a file as folder":       filepath.Join(file, "out.bin"),
		"a read-only filesystem": "/sys/reqsh-test-out.bin",
	}
	if os.Geteuid() != 0 {
		locked := filepath.Join(dir, "locked")
		os.Mkdir(locked, 0o500)
		targets["an unwritable folder"] = filepath.Join(locked, "out.bin")
	}
	for name, target := range targets {
		if strings.HasPrefix(target, "/sys/") {
			if _, err := os.Stat("/sys"); err != nil {
				continue
			}
		}
		var stdout, stderr bytes.Buffer
		code := Main([]string{srv.URL}, strings.NewReader("get /x -o "+target+"\n"), &stdout, &stderr, testEnv(t))
		if code != ExitFailure || strings.Count(stderr.String(), "\n") != 1 || !strings.Contains(stderr.String(), "-o "+target+": ") {
			t.Errorf("%s: exit %d, stderr %q; want one error line naming %s", name, code, stderr.String(), target)
		}
		if n := hits.Load(); n != 0 {
			t.Fatalf("%s: the server got %d requests, want none", name, n)
		}
	}
}

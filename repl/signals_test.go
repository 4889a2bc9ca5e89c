package repl

import (
	"bufio"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/reqsh/reqsh/internal/demo"
)

// TestScriptSignals runs a script as its own process, stops it with a
// signal in the middle of a download, and checks what a CI job killed by
// a timeout needs: the output of the commands that finished, no partial
// -o file, the --session file saved, and the exit status.
func TestScriptSignals(t *testing.T) {
	for _, c := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}, {syscall.SIGHUP, 129}} {
		t.Run(c.sig.String(), func(t *testing.T) {
			t.Parallel()
			dripping := make(chan struct{}, 1)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/drip" {
					select {
					case dripping <- struct{}{}:
					default:
					}
				}
				demo.Handler().ServeHTTP(w, r)
			}))
			defer srv.Close()
			dir := t.TempDir()
			sessionFile := filepath.Join(dir, "s.json")
			cmd := exec.Command(os.Args[0], "--session", sessionFile, srv.URL)
			cmd.Env = []string{runMainEnv + "=1", "HOME=" + dir, "PATH=" + os.Getenv("PATH")}
			stdin, _ := cmd.StdinPipe()
			stdoutPipe, _ := cmd.StdoutPipe()
			var stderr strings.Builder
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			stdout := bufio.NewReader(stdoutPipe)
			// The script goes on (stdin stays open): each command's
			// output must come out before the next command runs.
			if _, err := stdin.Write([]byte("header set X-Kept yes\nget /get a==first\n")); err != nil {
				t.Fatal(err)
			}
			var seen strings.Builder
			for !strings.Contains(seen.String(), `"first"`) {
				line, err := stdout.ReadString('\n')
				seen.WriteString(line)
				if err != nil {
					t.Fatalf("output of a finished command did not come before the next one: %q, %v", seen.String(), err)
				}
			}
			target := filepath.Join(dir, "drip.bin")
			if _, err := stdin.Write([]byte("get /drip?duration=8&numbytes=40 -o " + target + "\n")); err != nil {
				t.Fatal(err)
			}
			select {
			case <-dripping:
			case <-time.After(30 * time.Second):
				t.Fatal("the download never started")
			}
			waitPartialFile(t, dir)
			if err := cmd.Process.Signal(c.sig); err != nil {
				t.Fatal(err)
			}
			err := cmd.Wait()
			if code := cmd.ProcessState.ExitCode(); code != c.code {
				t.Fatalf("exit status %d (%v), want %d; stderr: %s", code, err, c.code, stderr.String())
			}
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if e.Name() != "s.json" && e.Name() != ".local" {
					t.Errorf("partial download left behind: %s", e.Name())
				}
			}
			saved, err := os.ReadFile(sessionFile)
			if err != nil || !strings.Contains(string(saved), "X-Kept") {
				t.Errorf("session file not saved with the header: %v %s", err, saved)
			}
			if strings.Contains(stderr.String(), "panic") {
				t.Errorf("stderr: %s", stderr.String())
			}
		})
	}
}

// waitPartialFile waits until a download's partial file in dir (any file
// but the session file) has bytes: the body is arriving.
func waitPartialFile(t *testing.T, dir string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if info, err := e.Info(); err == nil && e.Name() != "s.json" && info.Mode().IsRegular() && info.Size() > 0 {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("no byte of the download reached its file")
		}
		// A file's size changes with no event to wait on: look again
		// soon.
		time.Sleep(5 * time.Millisecond)
	}
}

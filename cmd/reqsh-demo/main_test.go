package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
)

// TestMakeDemo runs `make demo` on a pseudo-terminal as a person does:
// the first run says it is building, Ctrl-C during a request cancels the
// request, and exit then ends make with status 0 and no "make: ***
// Interrupt"; a second run builds nothing and says nothing about it.
func TestMakeDemo(t *testing.T) {
	goBin, env := makeEnv(t)
	bin := t.TempDir()
	run := func() *screen {
		cmd := exec.Command("make", "-C", filepath.Join("..", ".."), "demo", "BIN="+bin, "GO="+goBin)
		cmd.Env = env
		return startScreen(t, cmd)
	}

	s := run()
	s.waitFor(t, "building "+bin+"/reqsh-demo", 30*time.Second)
	s.waitFor(t, "> ", 5*time.Minute) // a cold build cache compiles everything
	m := s.mark()
	s.typeText(t, "get /drip?duration=8&numbytes=8 --print h\r")
	s.waitFor(t, "HTTP/1.1 200 OK", 10*time.Second)
	s.typeText(t, "\x03")
	s.waitForAny(t, m, []string{"request canceled", "output stopped"}, 5*time.Second)
	s.typeText(t, "exit\r")
	if code := s.exit(t, 10*time.Second); code != 0 {
		t.Errorf("make demo: exit status %d after Ctrl-C and exit, want 0", code)
	}
	if out := s.text(); strings.Contains(out, "Interrupt") || strings.Contains(out, "make: ***") {
		t.Errorf("make saw the interrupt:\n%q", out)
	}

	s = run()
	s.waitFor(t, "> ", time.Minute)
	s.typeText(t, "exit\r")
	if code := s.exit(t, 10*time.Second); code != 0 {
		t.Errorf("second make demo: exit status %d", code)
	}
	if out := s.text(); strings.Contains(out, "building") {
		t.Errorf("the second run says it builds:\n%q", out)
	}
}

// TestMakeDemoSuspend runs `make demo` from an interactive shell and
// presses Ctrl-Z at the prompt and during a request: the shell reports
// the job stopped, fg brings the prompt back in the foreground, and exit
// ends make with status 0.
func TestMakeDemoSuspend(t *testing.T) {
	goBin, env := makeEnv(t)
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	cmd := exec.Command(bash, "--norc", "--noprofile", "-i")
	cmd.Dir = filepath.Join("..", "..")
	cmd.Env = append(env, "PS1=SH$ ")
	s := startScreen(t, cmd)
	s.waitFor(t, "SH$ ", 10*time.Second)
	s.typeText(t, "make -s demo BIN="+t.TempDir()+" GO="+goBin+"\r")
	s.waitFor(t, "> ", 5*time.Minute)
	for _, c := range []struct{ line, wait string }{
		{"", ""}, // Ctrl-Z at the prompt
		{"get /drip?duration=8&numbytes=8 --print h\r", "HTTP/1.1 200 OK"},
	} {
		m := s.mark()
		s.typeText(t, c.line)
		if c.wait != "" {
			s.waitForAny(t, m, []string{c.wait}, 10*time.Second)
		}
		s.typeText(t, "\x1a")
		s.waitForAny(t, m, []string{"Stopped"}, 10*time.Second)
		// Readline knows it was continued when its clock jumps by more
		// than 100ms: a person takes longer than that to type fg.
		time.Sleep(300 * time.Millisecond)
		m = s.mark()
		s.typeText(t, "fg\r")
		s.waitForAny(t, m, []string{"make -s demo"}, 10*time.Second)
		if c.wait != "" {
			s.waitForAny(t, m, []string{"> "}, 20*time.Second) // the body ends
		}
		s.typeText(t, "get /get a==back\r")
		s.waitForAny(t, m, []string{`"back"`}, 10*time.Second)
	}
	m := s.mark()
	s.typeText(t, "exit\r")
	s.waitForAny(t, m, []string{"SH$ "}, 10*time.Second)
	s.typeText(t, "echo status=$?\r")
	s.waitForAny(t, m, []string{"status=0"}, 10*time.Second)
	s.typeText(t, "exit\r")
	s.exit(t, 10*time.Second)
}

// makeEnv skips the test without make or go, and returns the go
// command and an environment for make: a private HOME, the usual build
// cache, no network.
func makeEnv(t *testing.T) (string, []string) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds reqsh-demo with make")
	}
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("no make")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		goBin = "/usr/local/go/bin/go"
	}
	goEnv, err := exec.Command(goBin, "env", "GOCACHE", "GOMODCACHE").Output()
	if err != nil {
		t.Skipf("go env: %v", err)
	}
	caches := strings.Fields(string(goEnv))
	return goBin, []string{
		"HOME=" + t.TempDir(), "PATH=" + os.Getenv("PATH"), "TERM=xterm", "NO_COLOR=1",
		"GOCACHE=" + caches[0], "GOMODCACHE=" + caches[1], "GOPROXY=off", "GOTOOLCHAIN=local",
	}
}

// screen is a program on a pseudo-terminal and what it wrote.
type screen struct {
	pty  *os.File
	done chan error
	mu   sync.Mutex
	buf  bytes.Buffer
}

func startScreen(t *testing.T, cmd *exec.Cmd) *screen {
	t.Helper()
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 120})
	if err != nil {
		t.Fatalf("start on a pty: %v", err)
	}
	s := &screen{pty: f, done: make(chan error, 1)}
	go func() {
		b := make([]byte, 4096)
		for {
			n, err := f.Read(b)
			s.mu.Lock()
			s.buf.Write(b[:n])
			s.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	go func() { s.done <- cmd.Wait() }()
	t.Cleanup(func() {
		// The whole group: make and the demo it runs.
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		f.Close()
	})
	return s
}

func (s *screen) text() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

func (s *screen) mark() int { return len(s.text()) }

func (s *screen) typeText(t *testing.T, text string) {
	t.Helper()
	if _, err := s.pty.WriteString(text); err != nil {
		t.Fatalf("type %q: %v", text, err)
	}
}

func (s *screen) waitFor(t *testing.T, want string, within time.Duration) {
	t.Helper()
	s.waitForAny(t, 0, []string{want}, within)
}

// waitForAny waits until the screen after mark shows one of wants.
func (s *screen) waitForAny(t *testing.T, mark int, wants []string, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		got := s.text()[mark:]
		for _, w := range wants {
			if strings.Contains(got, w) {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %s the screen shows none of %q:\n%q", within, wants, got)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// exit waits for the program to end and returns its exit status.
func (s *screen) exit(t *testing.T, within time.Duration) int {
	t.Helper()
	select {
	case err := <-s.done:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		if err != nil {
			t.Fatalf("wait: %v", err)
		}
		return 0
	case <-time.After(within):
		t.Fatalf("did not exit within %s; screen:\n%q", within, s.text())
		return -1
	}
}

package repl

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
)

// extraBytesServer answers every request with reply, which has more
// bytes than its response: a 204 with a body, or a body longer than its
// Content-Length. Go's transport logs such bytes through the standard log
// package when it finds them on an idle kept-alive connection. Each
// server is asked once, so that no later request picks up that
// connection and reads the extra bytes as its response.
func extraBytesServer(t *testing.T, reply string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				br := bufio.NewReader(c)
				for {
					req, err := http.ReadRequest(br)
					if err != nil {
						return
					}
					io.Copy(io.Discard, req.Body)
					io.WriteString(c, reply)
				}
			}()
		}
	}()
	return "http://" + ln.Addr().String()
}

// TestNoStandardLogLines runs reqsh as its own process against servers
// that send bytes nobody asked for: stderr holds reqsh's own lines only,
// none of Go's "Unsolicited response received on idle HTTP channel".
func TestNoStandardLogLines(t *testing.T) {
	const (
		noContent = "HTTP/1.1 204 No Content\r\n\r\nunsolicited body after a 204"
		tooLong   = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nok\nand more than Content-Length said"
	)
	var script strings.Builder
	for range 3 {
		fmt.Fprintf(&script, "get %s/204\nexpect status 204\n", extraBytesServer(t, noContent))
		fmt.Fprintf(&script, "get %s/long\nexpect status 200\nexpect body contains ok\n", extraBytesServer(t, tooLong))
	}
	cmd := exec.Command(os.Args[0])
	cmd.Env = []string{runMainEnv + "=1", "HOME=" + t.TempDir(), "PATH=" + os.Getenv("PATH")}
	cmd.Stdin = strings.NewReader(script.String())
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("reqsh: %v\nstderr:\n%s", err, stderr.String())
	}
	if want := "9 passed, 0 failed\n"; stderr.String() != want {
		t.Errorf("stderr:\n%s\nwant only:\n%s", stderr.String(), want)
	}
	if want := strings.Repeat("ok\n", 3); stdout.String() != want {
		t.Errorf("stdout %q, want %q", stdout.String(), want)
	}
}

package repl

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
)

// extraBytesServer answers every request on a kept-alive connection with
// more bytes than the response has: a 204 with a body, or a body longer
// than its Content-Length. Go's transport logs such bytes through the
// standard log package when it finds them on an idle connection.
func extraBytesServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	replies := map[string]string{
		"/204":  "HTTP/1.1 204 No Content\r\n\r\nunsolicited body after a 204",
		"/long": "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nok\nand more than Content-Length said",
	}
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
					io.WriteString(c, replies[req.URL.Path])
				}
			}()
		}
	}()
	return "http://" + ln.Addr().String()
}

// TestNoStandardLogLines runs reqsh as its own process against a server
// that sends bytes nobody asked for: stderr holds reqsh's own lines only,
// none of Go's "Unsolicited response received on idle HTTP channel".
func TestNoStandardLogLines(t *testing.T) {
	base := extraBytesServer(t)
	var script strings.Builder
	for range 5 {
		script.WriteString("get /204\nexpect status 204\nget /long\nexpect status 200\nexpect body contains ok\n")
	}
	cmd := exec.Command(os.Args[0], base)
	cmd.Env = []string{runMainEnv + "=1", "HOME=" + t.TempDir(), "PATH=" + os.Getenv("PATH")}
	cmd.Stdin = strings.NewReader(script.String())
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("reqsh: %v\nstderr:\n%s", err, stderr.String())
	}
	if want := "15 passed, 0 failed\n"; stderr.String() != want {
		t.Errorf("stderr:\n%s\nwant only:\n%s", stderr.String(), want)
	}
	if want := strings.Repeat("ok\n", 5); stdout.String() != want {
		t.Errorf("stdout %q, want %q", stdout.String(), want)
	}
}

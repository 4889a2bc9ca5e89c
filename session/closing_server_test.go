package session_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// closeMode is when a closingServer closes a connection.
type closeMode int

const (
	// closeAfterResponse writes each response as a keep-alive one (no
	// Connection: close) and closes the socket right after it, or after
	// delay: the client finds a dead pooled connection whenever it is
	// faster than the server's FIN.
	closeAfterResponse closeMode = iota
	// closeOnNextRequest keeps the connection open after the first
	// response and closes it, with no response, when the next request
	// has been read: every reuse meets a dead connection, every time.
	closeOnNextRequest
)

// closingServer is a raw HTTP/1.1 server on 127.0.0.1 that answers one
// request per connection and then drops it, by mode. It records what it
// received.
type closingServer struct {
	ln    net.Listener
	mode  closeMode
	delay time.Duration

	mu       sync.Mutex
	answered []string // "METHOD body" of each request answered
	dropped  []string // "METHOD body" of each request read and dropped
	open     map[net.Conn]bool
	wg       sync.WaitGroup
}

// newClosingServer starts a closingServer; it stops at the test's end.
func newClosingServer(tb testing.TB, mode closeMode, delay time.Duration) *closingServer {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	s := &closingServer{ln: ln, mode: mode, delay: delay, open: make(map[net.Conn]bool)}
	s.wg.Add(1)
	go s.serve()
	tb.Cleanup(func() {
		ln.Close()
		s.mu.Lock()
		for c := range s.open {
			c.Close()
		}
		s.mu.Unlock()
		s.wg.Wait()
	})
	return s
}

// URL returns the server's base URL.
func (s *closingServer) URL() string { return "http://" + s.ln.Addr().String() }

func (s *closingServer) serve() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.open[c] = true
		s.mu.Unlock()
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.handle(c)
			s.mu.Lock()
			delete(s.open, c)
			s.mu.Unlock()
		}()
	}
}

// handle answers the first request on c and drops the connection.
func (s *closingServer) handle(c net.Conn) {
	defer c.Close()
	br := bufio.NewReader(c)
	req, ok := readRawRequest(br)
	if !ok {
		return
	}
	s.mu.Lock()
	s.answered = append(s.answered, req)
	s.mu.Unlock()
	io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok")
	switch s.mode {
	case closeAfterResponse:
		if s.delay > 0 {
			time.Sleep(s.delay)
		}
	case closeOnNextRequest:
		if next, ok := readRawRequest(br); ok {
			s.mu.Lock()
			s.dropped = append(s.dropped, next)
			s.mu.Unlock()
		}
	}
}

// readRawRequest reads one request from br and returns "METHOD body".
func readRawRequest(br *bufio.Reader) (string, bool) {
	line, err := br.ReadString('\n')
	if err != nil {
		return "", false
	}
	method, _, _ := strings.Cut(line, " ")
	length := 0
	for {
		h, err := br.ReadString('\n')
		if err != nil {
			return "", false
		}
		h = strings.TrimRight(h, "\r\n")
		if h == "" {
			break
		}
		name, value, _ := strings.Cut(h, ":")
		if http.CanonicalHeaderKey(strings.TrimSpace(name)) == "Content-Length" {
			length, _ = strconv.Atoi(strings.TrimSpace(value))
		}
	}
	body := make([]byte, length)
	if _, err := io.ReadFull(br, body); err != nil {
		return "", false
	}
	return method + " " + string(body), true
}

// requests returns copies of what the server answered and dropped.
func (s *closingServer) requests() (answered, dropped []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.answered...), append([]string(nil), s.dropped...)
}

// closingServerEnv, set to a delay, makes TestClosingServerProcess serve
// as a closingServer (closeAfterResponse) in its own process.
const closingServerEnv = "REQSH_CLOSING_SERVER"

// TestClosingServerProcess is not a test: started by startClosingProcess
// it runs a closingServer in a process of its own, so that the client's
// GOMAXPROCS does not schedule the server too. It prints the server's URL
// and serves until its standard input closes.
func TestClosingServerProcess(t *testing.T) {
	delay, ok := os.LookupEnv(closingServerEnv)
	if !ok {
		t.Skip("a helper process for BenchmarkClosingServer")
	}
	d, err := time.ParseDuration(delay)
	if err != nil {
		t.Fatal(err)
	}
	srv := newClosingServer(t, closeAfterResponse, d)
	fmt.Println(srv.URL())
	io.Copy(io.Discard, os.Stdin)
}

// startClosingProcess starts a closingServer (closeAfterResponse after
// delay) in a child process and returns its URL.
func startClosingProcess(tb testing.TB, delay time.Duration) string {
	tb.Helper()
	exe, err := os.Executable()
	if err != nil {
		tb.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^TestClosingServerProcess$")
	cmd.Env = append(os.Environ(), closingServerEnv+"="+delay.String())
	stdin, err := cmd.StdinPipe()
	if err != nil {
		tb.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		stdin.Close()
		cmd.Wait()
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		tb.Fatalf("closing server process: %v", err)
	}
	go io.Copy(io.Discard, stdout)
	return strings.TrimSpace(line)
}

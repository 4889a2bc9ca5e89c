// Command reqsh-demo runs reqsh against an httpbin served from inside the
// process on a loopback port, with the base URL set to it: `make demo`.
// It needs no network. Flags are reqsh's; REQSH_DEMO_ADDR in the
// environment fixes the address (127.0.0.1:8080, say), so that named
// sessions, which are kept per host and port, are there again next time.
//
// Started in another program's process group at a terminal (`make
// demo`), it runs itself again in a group of its own in the foreground,
// so that Ctrl-C during a request reaches reqsh alone and make does not
// end with "make: *** Interrupt".
//
// reqsh-demo --serve [ADDR] only serves the httpbin, at ADDR or
// 127.0.0.1:8080, until interrupted: `make serve`, for reqsh run on its
// own in another terminal.
package main

import (
	"fmt"
	"net"
	"net/http"
	"os"

	"github.com/reqsh/reqsh/internal/demo"
	"github.com/reqsh/reqsh/repl"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "--serve" {
		addr := "127.0.0.1:8080"
		if len(os.Args) > 2 {
			addr = os.Args[2]
		}
		os.Exit(serve(addr))
	}
	if code, ran := runInForeground(); ran {
		os.Exit(code)
	}
	addr := os.Getenv("REQSH_DEMO_ADDR")
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintf(os.Stderr, "reqsh-demo: %v\n", err)
		os.Exit(1)
	}
	go http.Serve(ln, demo.Handler())
	base := "http://" + ln.Addr().String()
	fmt.Fprintf(os.Stderr, "reqsh demo: httpbin at %s is the base URL; try: get /get, help, exit\n", base)
	os.Exit(repl.Main(append(os.Args[1:], base), os.Stdin, os.Stdout, os.Stderr, os.Environ()))
}

// serve serves the demo httpbin at addr until the process is stopped.
func serve(addr string) int {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintf(os.Stderr, "reqsh-demo: %v\n", err)
		return 1
	}
	fmt.Fprintf(os.Stderr, "reqsh demo: httpbin at http://%s (Ctrl-C to stop)\n", ln.Addr())
	if err := http.Serve(ln, demo.Handler()); err != nil {
		fmt.Fprintf(os.Stderr, "reqsh-demo: %v\n", err)
		return 1
	}
	return 0
}

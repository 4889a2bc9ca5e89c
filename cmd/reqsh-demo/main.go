// Command reqsh-demo runs reqsh against an httpbin served from inside the
// process on a loopback port, with the base URL set to it: `make demo`.
// It needs no network. Flags are reqsh's.
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
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintf(os.Stderr, "reqsh-demo: %v\n", err)
		os.Exit(1)
	}
	go http.Serve(ln, demo.Handler())
	base := "http://" + ln.Addr().String()
	fmt.Fprintf(os.Stderr, "reqsh demo: httpbin at %s is the base URL; try: get /get, help, exit\n", base)
	os.Exit(repl.Main(append(os.Args[1:], base), os.Stdin, os.Stdout, os.Stderr, os.Environ()))
}

// Command reqsh is an interactive HTTP shell with one long-lived session.
// See the README, or run reqsh --help.
package main

import (
	"os"
	"runtime"

	"github.com/reqsh/reqsh/repl"
)

func main() {
	// A session sends one request at a time, so its goroutines (the
	// command loop and the transport's reader and writer) take turns on
	// one thread instead of waking another for each hand-off, which is a
	// large part of a loopback request's cost. GOMAXPROCS overrides this.
	if _, ok := os.LookupEnv("GOMAXPROCS"); !ok {
		runtime.GOMAXPROCS(1)
	}
	os.Exit(repl.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Environ()))
}

// Command reqsh is an interactive HTTP shell with one long-lived session.
// See the README, or run reqsh --help.
package main

import (
	"os"
	"runtime"

	"github.com/reqsh/reqsh/repl"
)

func main() {
	if oneThread(os.Args[1:], os.LookupEnv) {
		runtime.GOMAXPROCS(1)
	}
	os.Exit(repl.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Environ()))
}

// oneThread reports whether reqsh should run its goroutines on one
// thread. The shell (at the prompt or running a script) sends one request
// at a time: its goroutines (the command loop and the transport's reader
// and writer) take turns, and on one thread they hand off without waking
// another, which `make bench` measured worth it on a repeated GET and on
// a mixed workload alike. A test runner (`reqsh test`) runs sessions side
// by side and keeps every core. A GOMAXPROCS environment variable always
// decides.
func oneThread(args []string, lookupEnv func(string) (string, bool)) bool {
	if _, ok := lookupEnv("GOMAXPROCS"); ok {
		return false
	}
	return len(args) == 0 || args[0] != "test"
}

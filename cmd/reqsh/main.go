// Command reqsh is an interactive HTTP shell with one long-lived session.
// See the README, or run reqsh --help.
package main

import (
	"os"

	"github.com/reqsh/reqsh/repl"
)

func main() {
	os.Exit(repl.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Environ()))
}

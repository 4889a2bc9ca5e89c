// Command reqsh-floor is the floor of reqsh's benchmark: a plain net/http
// loop doing a workload's commands, read one a line from stdin, and
// writing the pretty-printed bodies to stdout, as reqsh does for the same
// script. reqsh-bench runs it beside reqsh; it is a program of its own so
// that it links net/http and little else, and starts as a plain Go
// program starts.
//
// Usage:
//
//	reqsh-floor WORKLOAD BASE-URL USER-AGENT < script
package main

import (
	"fmt"
	"os"

	"github.com/reqsh/reqsh/internal/workload"
)

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: reqsh-floor WORKLOAD BASE-URL USER-AGENT < script")
		os.Exit(2)
	}
	w, err := workload.Lookup(os.Args[1])
	if err == nil {
		err = workload.Floor(w, os.Args[2], os.Args[3], os.Stdin, os.Stdout)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "reqsh-floor: %v\n", err)
		os.Exit(1)
	}
}

// Package repl is reqsh's shell: flags, the command table, the line
// tokenizer, variables, dispatch, the read-eval loop for a terminal and for
// scripts, and completion. It drives a session.Session and prints through
// internal/format.
package repl

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"strings"

	"github.com/reqsh/reqsh/internal/format"
)

// Version is reqsh's version, set at build time with
// -ldflags "-X github.com/reqsh/reqsh/repl.Version=...".
var Version = "dev"

// Exit statuses of Main.
const (
	ExitOK      = 0 // every command succeeded
	ExitFailure = 1 // a command failed in a script
	ExitUsage   = 2 // bad flags
)

// config is what the command line asks for.
type config struct {
	file      string
	keepGoing bool
	print     string
	color     string
	headers   []string
	session   string
	readOnly  bool
	baseURL   string
	spec      string // --spec FILE|URL
}

// headerFlags collects repeated -H values.
type headerFlags []string

func (h *headerFlags) String() string     { return strings.Join(*h, ", ") }
func (h *headerFlags) Set(v string) error { *h = append(*h, v); return nil }

const usageText = `usage: reqsh [FLAGS] [BASE_URL]
       reqsh test [--base URL] [--jobs N] [--report-junit FILE] [--report-tap FILE] FILE...

An interactive HTTP shell with one long-lived session (cookies, headers,
params, auth, keep-alive connections). Commands are typed at the prompt or
piped on standard input as a script.

flags:
  -f, --file FILE        run the commands in FILE, then exit
  -s, --session NAME     load that session at start, save it back at exit
      --read-only        with --session: load, never write back
  -k, --keep-going       in a script, go on after a failed command
      --print WHAT       default output parts: H B h b m (default hb at a
                         terminal, b otherwise)
      --color WHEN       auto, always or never (NO_COLOR in the environment
                         means never)
      --no-color         same as --color never
  -H 'Name: value'       start with this session header (repeatable)
      --spec FILE|URL    load this OpenAPI description at start
      --version          print the version and exit
  -h, --help             print this help and exit

Type "help" at the prompt for the commands.
`

// parseFlags reads the command line. It returns flag.ErrHelp for -h.
func parseFlags(args []string, stdout io.Writer) (*config, error) {
	c := &config{}
	fs := flag.NewFlagSet("reqsh", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var headers headerFlags
	var noColor, version bool
	fs.StringVar(&c.file, "f", "", "")
	fs.StringVar(&c.file, "file", "", "")
	fs.StringVar(&c.session, "s", "", "")
	fs.StringVar(&c.session, "session", "", "")
	fs.BoolVar(&c.readOnly, "read-only", false, "")
	fs.BoolVar(&c.keepGoing, "k", false, "")
	fs.BoolVar(&c.keepGoing, "keep-going", false, "")
	fs.StringVar(&c.print, "print", "", "")
	fs.StringVar(&c.color, "color", "auto", "")
	fs.BoolVar(&noColor, "no-color", false, "")
	fs.Var(&headers, "H", "")
	fs.StringVar(&c.spec, "spec", "", "")
	fs.BoolVar(&version, "version", false, "")
	fs.Usage = func() {}
	// Flags may come before or after BASE_URL.
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			break
		}
		rest = append(rest, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if version {
		fmt.Fprintf(stdout, "reqsh %s\n", Version)
		return nil, errVersion
	}
	if len(rest) > 1 {
		return nil, fmt.Errorf("too many arguments: %q (want at most one BASE_URL)", rest[1:])
	}
	if len(rest) == 1 {
		c.baseURL = rest[0]
	}
	if noColor {
		c.color = "never"
	}
	switch c.color {
	case "auto", "always", "never":
	default:
		return nil, fmt.Errorf("invalid --color value %q: use auto, always or never", c.color)
	}
	if c.print != "" {
		if _, err := format.ParseParts(c.print); err != nil {
			return nil, err
		}
	}
	if c.readOnly && c.session == "" {
		return nil, errors.New("--read-only needs --session")
	}
	c.headers = headers
	return c, nil
}

var errVersion = errors.New("version")

// Main runs reqsh with the given command-line arguments (without the
// program name), standard streams and environment ("NAME=value" entries),
// and returns the exit status.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer, env []string) int {
	quietStdLog()
	if len(args) > 0 && args[0] == "test" {
		return runTests(args[1:], stdout, stderr, env)
	}
	c, err := parseFlags(args, stdout)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(stdout, usageText)
		return ExitOK
	case errors.Is(err, errVersion):
		return ExitOK
	case err != nil:
		fmt.Fprintf(stderr, "reqsh: %v\n", err)
		fmt.Fprintln(stderr, "Run 'reqsh --help' for usage.")
		return ExitUsage
	}
	sh, err := newShell(c, stdin, stdout, stderr, env)
	if err != nil {
		fmt.Fprintf(stderr, "reqsh: %v\n", err)
		return ExitUsage
	}
	return sh.run()
}

// quietStdLog keeps Go's standard log package off stderr: every line
// there is reqsh's own. Only net/http writes to it, about bytes a server
// sent that no request asked for (a 204 with a body, a body longer than
// its Content-Length), which the transport drops with their connection.
// It writes from a background goroutine, at any moment: a raw, dated line
// in the middle of the prompt or of a later command's output, about an
// earlier one. As requests and curl (without -v), reqsh says nothing.
func quietStdLog() { log.SetOutput(io.Discard) }

// isTerminal reports whether f is an *os.File open on a terminal.
func isTerminal(f any) bool {
	file, ok := f.(*os.File)
	return ok && isTTY(file.Fd())
}

// lookupEnv finds name in env ("NAME=value" entries), last one winning.
func lookupEnv(env []string, name string) (string, bool) {
	for i := len(env) - 1; i >= 0; i-- {
		if v, ok := strings.CutPrefix(env[i], name+"="); ok {
			return v, true
		}
	}
	return "", false
}

package repl

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"golang.org/x/net/http/httpguts"

	"github.com/reqsh/reqsh/internal/ansi"
	"github.com/reqsh/reqsh/internal/format"
	"github.com/reqsh/reqsh/internal/spool"
	"github.com/reqsh/reqsh/internal/words"
	"github.com/reqsh/reqsh/session"
)

// shell is one run of reqsh: the session and the command table, and
// beside them the small pieces of state each part of the shell keeps,
// each with one job. Their fields are the shell's own (embedded), so a
// handler reads sh.out or sh.vars wherever it lives.
type shell struct {
	cfg  *config
	sess *session.Session
	cmds *table
	env  []string // the environment, "NAME=value" entries
	quit bool     // exit was typed
	// reqArgs is the running request command's line, parsed
	// (parseRequest).
	reqArgs requestArgs
	// wordRoom is room for the words of the short lines to come
	// (splitWords).
	wordRoom []string

	streams      // the standard streams and what they are
	output       // how and where command output prints
	interaction  // the prompt's pieces (interact.go); zero in a script
	lastExchange // the last response, for later commands
	scriptState  // variables, expectations, sourced files (script.go)
	apiState     // the API description and request checks (spec.go)
}

// streams are the process's standard streams and what they are.
type streams struct {
	stdin  io.Reader
	stdout io.Writer // as given: a command run by | writes to it
	// display is stdout as reqsh writes to it: through go-colorable on a
	// Windows console, stdout itself elsewhere.
	display     io.Writer
	errOut      io.Writer
	outTerminal bool // stdout is a terminal
	inTerminal  bool // stdin is a terminal (and no -f)
	interactive bool // both: a person at the readline prompt
}

// output is how command output prints and where it goes.
type output struct {
	out       *bufio.Writer // buffered stdout, flushed before every prompt and exit
	colorMode string        // auto, always or never
	parts     format.Parts  // default --print
	pretty    bool
	maxBody   int64 // bytes of a body kept for printing; 0: no limit
	printer   *format.Printer
	palette   ansi.Palette // the colors of what the shell itself draws (the prompt)
	// redirected is what printer writes to while a request's output
	// goes to a file or a command (> >> |); nil otherwise.
	redirected io.Writer
	// outputLost says a command already reported that stdout could not be
	// written (a full disk, a closed pipe).
	outputLost bool
}

// lastExchange is the last response, which later commands (last, json,
// capture, expect, curl) look at.
type lastExchange struct {
	last     *session.Response
	lastBody *spool.Spool // last's body as kept; nil when it went to a file
	// lastMaxBody is the max-body the last body was kept under.
	lastMaxBody int64
	exchanges   exchangeLog     // the last exchanges, with their bodies (log.go)
	rec         *scriptRecorder // where record writes the commands that succeed; nil when off
}

// warn prints a warning of the session on stderr.
func (sh *shell) warn(msg string) {
	fmt.Fprintln(sh.errOut, format.Sanitize("warning: "+msg))
}

// newShell builds a shell from the parsed command line.
func newShell(c *config, stdin io.Reader, stdout, stderr io.Writer, env []string) (*shell, error) {
	sh := &shell{
		cfg: c,
		env: env,
		streams: streams{
			stdin:   stdin,
			stdout:  stdout,
			display: ansi.Writer(stdout),
			errOut:  stderr,
		},
		output:      output{pretty: true},
		scriptState: scriptState{vars: map[string]string{}, source: c.file},
	}
	sh.out = bufio.NewWriterSize(sh.display, 64<<10)
	sh.cmds = newTable(commands())
	sh.outTerminal = isTerminal(stdout)
	sh.inTerminal = c.file == "" && isTerminal(stdin)
	sh.interactive = sh.outTerminal && sh.inTerminal
	if sh.interactive {
		sh.guard = &outputGuard{w: sh.display}
		sh.out.Reset(sh.guard)
	}
	sh.colorMode = c.color
	sh.maxBody = defaultMaxBodyScript
	if sh.outTerminal {
		sh.maxBody = defaultMaxBodyTerminal
	}
	print := c.print
	if print == "" {
		print = "b"
		if sh.outTerminal {
			print = "hb"
		}
	}
	sh.parts, _ = format.ParseParts(print)
	sh.newPrinter()

	sess, err := session.New(session.WithUserAgent("reqsh/"+Version), session.WithEnv(env), session.WithWarn(sh.warn),
		session.WithPassphrase(sh.certPassphrase))
	if err != nil {
		return nil, err
	}
	sh.sess = sess
	if c.baseURL != "" {
		u, err := sh.sess.ResolveURL(c.baseURL)
		if err != nil {
			return nil, fmt.Errorf("base URL: %w", err)
		}
		sh.sess.Base = u
	}
	for _, h := range c.headers {
		name, value, ok := parseHeaderLine(h)
		if !ok {
			return nil, fmt.Errorf("invalid -H value %q: want 'Name: value'", h)
		}
		sh.sess.Headers.Set(name, value)
	}
	if c.spec != "" {
		spec, err := sh.loadSpecFrom(context.Background(), c.spec)
		if err != nil {
			return nil, err
		}
		sh.useSpec(spec)
	}
	return sh, nil
}

// newPrinter (re)builds the printer from the color mode and options.
func (sh *shell) newPrinter() {
	color := sh.useColor()
	sh.palette = ansi.NewPalette(color)
	sh.printer = format.New(sh.out, format.Options{
		Color:    color,
		Terminal: sh.outTerminal,
		Pretty:   sh.pretty,
	})
}

// useColor decides colors: always, never, or (auto) when stdout is a
// terminal, NO_COLOR is unset and TERM is not "dumb".
func (sh *shell) useColor() bool {
	switch sh.colorMode {
	case "always":
		return true
	case "never":
		return false
	}
	if _, ok := lookupEnv(sh.env, "NO_COLOR"); ok {
		return false
	}
	if term, _ := lookupEnv(sh.env, "TERM"); term == "dumb" {
		return false
	}
	return sh.outTerminal
}

// run is one run of reqsh: it opens the --session file and the input,
// runs the commands at the prompt or as a script, and ends the run. It
// returns the exit status.
func (sh *shell) run() int { return sh.runFrom(sh.openInput) }

// runFrom is run reading the commands from the reader open returns.
func (sh *shell) runFrom(open func() (lineReader, error)) int {
	// At a terminal the prompt comes first, so that loading the
	// --session file can ask there (an encrypted client key's
	// passphrase); a script's input is opened once the session is.
	var r lineReader
	if sh.interactive {
		var err error
		if r, err = open(); err != nil {
			fmt.Fprintf(sh.errOut, "reqsh: %v\n", err)
			return ExitFailure
		}
	}
	if err := sh.openSession(); err != nil {
		if r != nil {
			r.Close()
		}
		fmt.Fprintf(sh.errOut, "reqsh: %v\n", err)
		return ExitFailure
	}
	if r == nil {
		var err error
		if r, err = open(); err != nil {
			fmt.Fprintf(sh.errOut, "reqsh: %v\n", err)
			return ExitFailure
		}
	}
	failed := false
	if sh.interactive {
		sh.intr = newInterrupter()
		defer sh.intr.stop()
		sh.interact(r)
	} else {
		sh.handleSignals()
		defer sh.stopSignals()
		if sh.cfg.file != "" {
			if fi, err := os.Stat(sh.cfg.file); err == nil {
				// A script that sources itself is a cycle too.
				sh.sourcing = []sourceFile{{name: sh.cfg.file, info: fi}}
			}
		}
		failed = sh.runScript(r, sh.source)
		if sh.signaled() {
			// The signal handler ends the run (flush, save, exit status).
			select {}
		}
	}
	return sh.finish(r, failed)
}

// finish ends the run: the input closed, the --session file saved, the
// connections closed, the output written out and, after a script with
// expectations, the summary. It returns the exit status.
func (sh *shell) finish(r lineReader, failed bool) int {
	// The end of the run is a command too: a signal now waits for it, or
	// it for the signal's own ending.
	sh.beginCommand()
	r.Close()
	saveErr := sh.closeSession()
	sh.sess.Close()
	flushErr := sh.out.Flush()
	sh.summary()
	if saveErr != nil {
		fmt.Fprintf(sh.errOut, "reqsh: %v\n", saveErr)
		return ExitFailure
	}
	if flushErr != nil && !sh.outputLost {
		// The output of the last commands is lost (a full disk, a closed
		// pipe): the run did not do its job.
		fmt.Fprintf(sh.errOut, "reqsh: write output: %v\n", flushErr)
		return ExitFailure
	}
	if failed && !sh.interactive {
		return ExitFailure
	}
	return ExitOK
}

// runCommand runs one command line, read by either loop, through
// execLine. Output that Ctrl-C stopped is cleaned up here, and the
// command fails with errOutputStopped.
func (sh *shell) runCommand(line string) error {
	before := sh.exchanges.count
	err := sh.execLine(line)
	if sh.guard != nil && sh.guard.stopped {
		sh.recoverOutput()
		err = errOutputStopped
	}
	if err == nil {
		sh.recordLine(line, before)
	}
	return err
}

// execLine runs one command line. Variables ({{NAME}}) are expanded in
// each word after the line is split into words, so a value with spaces or
// quotes stays one word and is never split or expanded again.
func (sh *shell) execLine(line string) error {
	cmd, args, out, err := sh.parseOutputLine(line)
	if cmd == nil || err != nil {
		return err
	}
	if out != nil {
		return sh.runWithOutput(cmd, args, out)
	}
	return cmd.run(sh, args)
}

// parseLine tokenizes a line, expands its {{variables}} and finds its
// command. A blank line or a comment has no command and no error.
func (sh *shell) parseLine(line string) (*command, []string, error) {
	ws, err := sh.splitWords(line)
	if err != nil || len(ws) == 0 {
		return nil, nil, err
	}
	// A word holds only bytes of the line: with no { in the line, no
	// word has a variable, and one byte search replaces one per word.
	if strings.IndexByte(line, '{') >= 0 {
		if ws, err = sh.expandWords(ws); err != nil {
			return nil, nil, err
		}
	}
	return sh.cmds.lookup(ws)
}

// Room for words (splitWords): an array of wordRoomSize words, made anew
// when less than wordRoomMin is left in it. Lines longer than
// wordRoomLine get an array of their own.
const (
	wordRoomSize = 512
	wordRoomMin  = 16
	wordRoomLine = 256
)

// splitWords splits a command line into words (words.Split). A short
// line's words are cut from room kept for the lines to come, one array
// for hundreds of lines instead of one for each: each line gets a part
// of its own (never reused, so a command may keep its arguments), capped
// (so appending to it makes a new array). The room keeps the words of
// the lines before alive until it is replaced; lines of at most
// wordRoomLine bytes bound that to a few KiB.
func (sh *shell) splitWords(line string) ([]string, error) {
	if len(line) > wordRoomLine {
		return words.Split(line)
	}
	if cap(sh.wordRoom)-len(sh.wordRoom) < wordRoomMin {
		sh.wordRoom = make([]string, 0, wordRoomSize)
	}
	start := len(sh.wordRoom)
	ws, err := words.AppendSplit(sh.wordRoom, line)
	if err != nil {
		return nil, err
	}
	sh.wordRoom = ws
	return ws[start:len(ws):len(ws)], nil
}

// report prints a failed command's error as one line on stderr, naming
// the line in a script. Passwords and secret query params of the URLs in
// it are masked, as `show` masks them.
func (sh *shell) report(source string, lineNo int, err error) {
	sh.out.Flush()
	if errors.Is(err, errReported) {
		return
	}
	msg := format.Sanitize(maskURLsIn(err.Error()))
	switch {
	case sh.interactive && source == "":
		if errors.Is(err, session.ErrCanceled) || errors.Is(err, errOutputStopped) {
			// The terminal echoed ^C; start a fresh line.
			fmt.Fprintln(sh.errOut)
		}
		fmt.Fprintf(sh.errOut, "error: %s\n", msg)
	case source != "":
		fmt.Fprintf(sh.errOut, "error: %s:%d: %s\n", source, lineNo, msg)
	default:
		fmt.Fprintf(sh.errOut, "error: line %d: %s\n", lineNo, msg)
	}
}

// openInput picks the reader: readline for a person at a terminal, a
// plain line reader for a pipe, a file or -f.
func (sh *shell) openInput() (lineReader, error) {
	if sh.cfg.file != "" {
		f, err := os.Open(sh.cfg.file)
		if err != nil {
			return nil, fmt.Errorf("open script: %w", err)
		}
		return newPlainReader(f, f), nil
	}
	if sh.interactive {
		r, err := newTerminalReader(sh)
		sh.reader = r
		return r, err
	}
	return newPlainReader(sh.stdin, nil), nil
}

// parseHeaderLine splits "Name: value".
func parseHeaderLine(s string) (string, string, bool) {
	name, value, ok := strings.Cut(s, ":")
	name = strings.TrimSpace(name)
	if !ok || name == "" || !httpguts.ValidHeaderFieldName(name) {
		return "", "", false
	}
	return http.CanonicalHeaderKey(name), strings.TrimSpace(value), true
}

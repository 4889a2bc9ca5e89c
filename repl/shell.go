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

	"github.com/reqsh/reqsh/internal/format"
	"github.com/reqsh/reqsh/internal/spool"
	"github.com/reqsh/reqsh/session"
)

// Shell is one run of reqsh: the session, the output, the last response
// and the variables, driven line by line.
type Shell struct {
	cfg  *config
	sess *session.Session
	cmds *table

	stdin  io.Reader
	stdout io.Writer
	out    *bufio.Writer // buffered stdout, flushed before every prompt and exit
	errOut io.Writer
	env    []string

	interactive bool // a person at a terminal, readline prompt
	outTerminal bool // stdout is a terminal
	inTerminal  bool // stdin is a terminal
	colorMode   string
	parts       format.Parts // default --print
	pretty      bool
	maxBody     int64 // bytes of a body kept for printing; 0: no limit
	printer     *format.Printer
	// redirected is what printer writes to while a request's output
	// goes to a file or a command (> >> |); nil otherwise.
	redirected io.Writer

	last     *session.Response
	lastBody *spool.Spool // last's body as kept; nil when it went to a file
	// lastMaxBody is the max-body the last body was kept under.
	lastMaxBody int64
	// outputLost says a command already reported that stdout could not be
	// written (a full disk, a closed pipe).
	outputLost bool
	vars       map[string]string
	paths      map[string]bool // URL paths seen, for completion

	source string // "" for stdin, else the script file's name
	quit   bool
	intr   *interrupter
	// signals ends a script cleanly on SIGINT, SIGTERM or SIGHUP; nil at
	// the prompt.
	signals *scriptSignals
	reader  *terminalReader // nil unless a person is at the prompt
	guard   *outputGuard    // stops printing on Ctrl-C; nil unless interactive
	// echo writes every input line to the output as "> line"; the
	// transcript tests use it.
	echo bool

	// expectPassed and expectFailed count the expect commands run, for
	// the "N passed, M failed" line at the end of a script.
	expectPassed, expectFailed int
	depth                      int          // how many source commands are running
	sourcing                   []sourceFile // the script files running, outermost first
}

// newShell builds a shell from the parsed command line.
func newShell(c *config, stdin io.Reader, stdout, stderr io.Writer, env []string) (*Shell, error) {
	sh := &Shell{
		cfg:    c,
		stdin:  stdin,
		stdout: stdout,
		out:    bufio.NewWriterSize(stdout, 64<<10),
		errOut: stderr,
		env:    env,
		pretty: true,
		vars:   map[string]string{},
		source: c.file,
	}
	sh.cmds = newTable(commands())
	sh.outTerminal = isTerminal(stdout)
	sh.inTerminal = c.file == "" && isTerminal(stdin)
	sh.interactive = sh.outTerminal && sh.inTerminal
	if sh.interactive {
		sh.guard = &outputGuard{w: stdout}
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

	sess, err := session.New(session.WithUserAgent("reqsh/" + Version))
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
	return sh, nil
}

// newPrinter (re)builds the printer from the color mode and options.
func (sh *Shell) newPrinter() {
	sh.printer = format.New(sh.out, format.Options{
		Color:    sh.useColor(),
		Terminal: sh.outTerminal,
		Pretty:   sh.pretty,
	})
}

// useColor decides colors: always, never, or (auto) when stdout is a
// terminal, NO_COLOR is unset and TERM is not "dumb".
func (sh *Shell) useColor() bool {
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

// run is the read-eval loop. It returns the exit status.
func (sh *Shell) run() int {
	if err := sh.openSession(); err != nil {
		fmt.Fprintf(sh.errOut, "reqsh: %v\n", err)
		return ExitFailure
	}
	r, err := sh.lineReader()
	if err != nil {
		fmt.Fprintf(sh.errOut, "reqsh: %v\n", err)
		return ExitFailure
	}
	if sh.interactive {
		sh.intr = newInterrupter()
		defer sh.intr.stop()
	} else {
		sh.handleSignals()
		defer sh.stopSignals()
	}
	if sh.cfg.file != "" {
		if fi, err := os.Stat(sh.cfg.file); err == nil {
			// A script that sources itself is a cycle too.
			sh.sourcing = []sourceFile{{name: sh.cfg.file, info: fi}}
		}
	}
	failed := sh.loop(r, sh.source)
	if sh.signaled() {
		// The signal handler ends the run (flush, save, exit status).
		select {}
	}
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

// loop runs every command r gives and reports whether any failed. In a
// script it stops at the first failure unless -k was given. Input it
// cannot read as commands (binary, a line too long) ends it as a
// failure, except at the prompt. In a file sourced at the prompt it stops
// when Ctrl-C was pressed; sourceCmd says so.
func (sh *Shell) loop(r LineReader, source string) (failed bool) {
	lineNo := 0
	for !sh.quit {
		if sh.sourceInterrupted() {
			return true
		}
		line, first, err := sh.readCommand(r, &lineNo)
		var inputErr *inputError
		switch {
		case errors.Is(err, io.EOF):
			if line == "" {
				return failed
			}
		case errors.Is(err, errInterrupt):
			continue
		case errors.As(err, &inputErr) && sh.interactive && sh.depth == 0:
			// A paste at the prompt: drop it, the next line is fine.
			sh.report(source, first, err)
			continue
		case err != nil:
			sh.report(source, first, err)
			return true
		}
		if sh.depth == 0 && sh.intr != nil {
			// A Ctrl-C before this command was meant for an earlier one.
			sh.intr.clear()
		}
		if sh.depth == 0 {
			sh.beginCommand()
		}
		err = sh.execLine(line)
		if sh.guard != nil && sh.guard.stopped {
			sh.recoverOutput()
			err = errOutputStopped
		}
		if sh.signaled() {
			// A signal canceled it: the handler ends the run.
			if sh.depth == 0 {
				sh.endCommand()
			}
			return true
		}
		if err != nil {
			if sh.sourceInterrupted() {
				// Ctrl-C stopped this line and so the whole file:
				// source reports it once.
				return true
			}
			sh.report(source, first, err)
			failed = true
		}
		// Each command's output is out before the next command runs, in
		// a pipe or a file too: a script killed later keeps it.
		sh.out.Flush()
		if sh.depth == 0 {
			sh.endCommand()
		}
		if err != nil && !sh.interactive && !sh.cfg.keepGoing {
			return true
		}
	}
	return failed
}

// readCommand reads one command, joining lines as sh does: a line ending
// in a backslash goes on with the next line (the backslash and the newline
// go), and so does a line that ends inside a quote (the newline is quoted
// text, kept). It returns the command, the number of its first line, and
// io.EOF with the last command when the input ends. Input that ends inside
// a quote is an *inputError naming the line where the quote opened, and the
// command is dropped. On another error the number is that of the line that
// could not be read (the first line of a command too long).
func (sh *Shell) readCommand(r LineReader, lineNo *int) (string, int, error) {
	var b strings.Builder
	var scan lineScanner
	first := *lineNo + 1
	more := false // the command goes on over the next line
	for {
		if sh.inTerminal {
			// Someone is typing: show what the last command printed.
			sh.out.Flush()
		}
		if sh.interactive {
			prompt := sh.prompt()
			if more {
				prompt = "... "
			}
			r.SetPrompt(prompt)
		}
		line, err := r.ReadLine()
		if err != nil && !(errors.Is(err, io.EOF) && line != "") {
			switch {
			case errors.Is(err, io.EOF) && scan.quote != 0:
				return "", first, sh.openQuoteError(r, &scan, first, b.String())
			case errors.Is(err, io.EOF) && more:
				return b.String(), first, io.EOF
			}
			return "", *lineNo + 1, err
		}
		*lineNo++
		line = strings.TrimSuffix(line, "\r")
		if sh.echo {
			fmt.Fprintf(sh.out, "> %s\n", line)
		}
		ls := scan.scan(line)
		add := len(ls.text)
		if ls.end == lineQuoted {
			add++ // the newline
		}
		if b.Len()+add > maxLineBytes {
			b.WriteString(ls.text[:min(len(ls.text), excerptKeep)])
			how := `\`
			if scan.quote != 0 {
				how = "an open quote"
			}
			problem := fmt.Sprintf("command too long: over %d MiB in lines joined by %s", maxLineBytes>>20, how)
			head := b.String()
			return "", first, newInputError(problem, []byte(head[:min(len(head), excerptKeep)]))
		}
		b.WriteString(ls.text)
		switch ls.end {
		case lineQuoted:
			b.WriteByte('\n')
			fallthrough
		case lineJoined:
			more = true
			continue
		}
		remember(r, b.String())
		return b.String(), first, err
	}
}

// openQuoteError is input that ended inside a quote: nothing of the
// command runs. In a script it names the line where the quote opened.
func (sh *Shell) openQuoteError(r LineReader, scan *lineScanner, first int, cmd string) error {
	problem := "unterminated " + scan.quoteName() + " quote"
	if _, atPrompt := r.(*terminalReader); !atPrompt {
		problem += fmt.Sprintf(" opened on line %d", first+scan.openLine-1)
	}
	return newInputError(problem, []byte(cmd))
}

// execLine runs one command line. Variables ({{NAME}}) are expanded in
// each word after the line is split into words, so a value with spaces or
// quotes stays one word and is never split or expanded again.
func (sh *Shell) execLine(line string) error {
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
func (sh *Shell) parseLine(line string) (*command, []string, error) {
	words, err := Tokenize(line)
	if err != nil || len(words) == 0 {
		return nil, nil, err
	}
	if words, err = sh.expandWords(words); err != nil {
		return nil, nil, err
	}
	return sh.cmds.lookup(words)
}

// recoverOutput drops what was left to print after Ctrl-C and resets
// the terminal's colors.
func (sh *Shell) recoverOutput() {
	sh.guard.stopped = false
	sh.out.Reset(sh.guard)
	if sh.useColor() {
		fmt.Fprint(sh.stdout, "\x1b[0m")
	}
	fmt.Fprintln(sh.stdout)
}

// report prints a failed command's error as one line on stderr, naming
// the line in a script. Passwords and secret query params of the URLs in
// it are masked, as `show` masks them.
func (sh *Shell) report(source string, lineNo int, err error) {
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

// prompt shows where relative URLs go: "127.0.0.1:8080/api> ".
func (sh *Shell) prompt() string {
	if sh.sess.Base == nil {
		return "reqsh> "
	}
	u := sh.sess.Base
	p := u.Host + strings.TrimSuffix(u.EscapedPath(), "/")
	if u.Scheme == "https" {
		p = "https://" + p
	}
	p = format.Sanitize(p)
	if sh.useColor() {
		// Bold, no hue: readable on dark and light backgrounds.
		p = "\x1b[1m" + p + "\x1b[0m"
	}
	return p + "> "
}

// requestContext returns the context for one request: canceled by Ctrl-C
// at a terminal; none in a script, where a signal aborts the session.
func (sh *Shell) requestContext() (context.Context, context.CancelFunc) {
	if sh.intr == nil {
		// A script's signal ends a request by Session.Abort.
		return context.Background(), func() {}
	}
	ctx, cancel := context.WithCancel(context.Background())
	sh.intr.set(cancel)
	sh.guard.ctx = ctx
	return ctx, func() { sh.intr.set(nil); sh.guard.ctx = nil; cancel() }
}

// lineReader picks the reader: readline for a person at a terminal, a
// plain line reader for a pipe, a file or -f.
func (sh *Shell) lineReader() (LineReader, error) {
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

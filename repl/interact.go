package repl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"

	"github.com/reqsh/reqsh/internal/ansi"
	"github.com/reqsh/reqsh/internal/format"
)

// The interactive loop: a person types at the readline prompt. Ctrl-C
// drops the line being typed or cancels the command running (its request,
// its output), a failed command is one error line, and the shell goes on
// until exit or Ctrl-D.

// interaction is what only a person at the prompt needs; all nil in a
// script.
type interaction struct {
	reader *terminalReader // readline, with history and completion
	intr   *interrupter    // Ctrl-C while a command runs
	guard  *outputGuard    // stops printing on Ctrl-C
	paths  map[string]bool // URL paths seen, for completion
}

// interact runs the commands typed at the prompt until exit or the end
// of input (Ctrl-D). A line that cannot be read as a command (a paste
// too long, binary) is reported and dropped; the next line is fine.
func (sh *shell) interact(r lineReader) {
	lineNo := 0
	for !sh.quit {
		line, first, err := sh.readCommand(r, &lineNo, sh.prompt)
		var inputErr *inputError
		switch {
		case errors.Is(err, io.EOF):
			if line == "" {
				return
			}
		case errors.Is(err, errInterrupt):
			continue
		case errors.As(err, &inputErr):
			sh.report("", first, err)
			continue
		case err != nil:
			sh.report("", first, err)
			return
		}
		// A Ctrl-C before this command was meant for an earlier one.
		sh.intr.clear()
		if err := sh.runCommand(line); err != nil {
			sh.report("", first, err)
		}
		sh.out.Flush()
	}
}

// prompt shows where relative URLs go: "127.0.0.1:8080/api> ".
func (sh *shell) prompt() string {
	if sh.sess.Base == nil {
		return "reqsh> "
	}
	u := sh.sess.Base
	p := u.Host + strings.TrimSuffix(u.EscapedPath(), "/")
	if u.Scheme == "https" {
		p = "https://" + p
	}
	var b strings.Builder
	sh.palette.Prompt.Fprint(&b, format.Sanitize(p))
	b.WriteString("> ")
	return b.String()
}

// requestContext returns the context for one request: canceled by Ctrl-C
// at a terminal; none in a script, where a signal aborts the session.
func (sh *shell) requestContext() (context.Context, context.CancelFunc) {
	if sh.intr == nil {
		// A script's signal ends a request by Session.Abort.
		return context.Background(), func() {}
	}
	ctx, cancel := context.WithCancel(context.Background())
	sh.intr.set(cancel)
	sh.guard.ctx = ctx
	return ctx, func() { sh.intr.set(nil); sh.guard.ctx = nil; cancel() }
}

// recoverOutput drops what was left to print after Ctrl-C and resets
// the terminal's colors.
func (sh *shell) recoverOutput() {
	sh.guard.stopped = false
	sh.out.Reset(sh.guard)
	ansi.Reset(sh.display, sh.useColor())
	fmt.Fprintln(sh.display)
}

// interrupter turns SIGINT (Ctrl-C while a command runs and the terminal
// is not in raw mode) into canceling the request in flight, never the
// shell, and remembers it so that a sourced file stops too.
type interrupter struct {
	mu     sync.Mutex
	cancel context.CancelFunc
	fired  bool // SIGINT came since the last clear
	ch     chan os.Signal
}

func newInterrupter() *interrupter {
	i := &interrupter{ch: make(chan os.Signal, 1)}
	signal.Notify(i.ch, os.Interrupt)
	go func() {
		for range i.ch {
			i.mu.Lock()
			i.fired = true
			if i.cancel != nil {
				i.cancel()
			}
			i.mu.Unlock()
		}
	}()
	return i
}

// set installs the cancel function of the request in flight (nil: none).
func (i *interrupter) set(cancel context.CancelFunc) {
	i.mu.Lock()
	i.cancel = cancel
	i.mu.Unlock()
}

// interrupted reports whether SIGINT came since the last clear.
func (i *interrupter) interrupted() bool {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.fired
}

// clear forgets an earlier SIGINT, before a new command starts.
func (i *interrupter) clear() {
	i.mu.Lock()
	i.fired = false
	i.mu.Unlock()
}

func (i *interrupter) stop() {
	signal.Stop(i.ch)
	close(i.ch)
}

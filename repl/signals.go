package repl

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
)

// scriptSignals ends a script cleanly on SIGINT, SIGTERM or SIGHUP (a CI
// timeout, a closed terminal): the running request is canceled (a partial
// -o file is removed with it), the output so far is flushed, a --session
// file is saved, and reqsh exits with 128 plus the signal's number (130,
// 143, 129).
type scriptSignals struct {
	ctx    context.Context // canceled by the signal
	cancel context.CancelFunc
	ch     chan os.Signal
	// turn is held by the loop while a command runs; the signal handler
	// takes it, so it acts between two commands, never in one. A mutex,
	// not a channel of one: the loop takes and gives it back on every
	// command, and a mutex nobody else wants costs a fraction of two
	// channel operations.
	turn sync.Mutex
	done chan struct{}
	exit func(code int)
}

// signalGrace is how long the handler waits for the running command to
// end after it canceled it.
const signalGrace = 5 * time.Second

// handleSignals starts the signal handler of a script.
func (sh *shell) handleSignals() {
	ctx, cancel := context.WithCancel(context.Background())
	s := &scriptSignals{
		ctx: ctx, cancel: cancel,
		ch:   make(chan os.Signal, 1),
		done: make(chan struct{}),
		exit: os.Exit,
	}
	sh.signals = s
	signal.Notify(s.ch, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		var sig os.Signal
		select {
		case sig = <-s.ch:
		case <-s.done:
			return
		}
		s.cancel()
		// End the request in flight: its connection closes under it.
		// (Requests carry no cancelable context in a script: that would
		// cost every request a little, for a signal that comes once.)
		sh.sess.Abort()
		between := make(chan struct{})
		go func() {
			// Never given back: the loop waits for its turn for good.
			s.turn.Lock()
			close(between)
		}()
		select {
		case <-between:
			// Between commands.
			sh.out.Flush()
			if err := sh.closeSession(); err != nil {
				fmt.Fprintf(sh.errOut, "reqsh: %v\n", err)
			}
		case <-time.After(signalGrace):
			// A command that does not end (a blocked write): leave as is.
		}
		code := 128
		if n, ok := sig.(syscall.Signal); ok {
			code += int(n)
		}
		s.exit(code)
	}()
}

// stopSignals stops the handler at the end of a script.
func (sh *shell) stopSignals() {
	if s := sh.signals; s != nil {
		signal.Stop(s.ch)
		close(s.done)
		s.cancel()
	}
}

// beginCommand takes the turn to run a command (released by endCommand);
// it blocks for good once a signal is being handled.
func (sh *shell) beginCommand() {
	if s := sh.signals; s != nil {
		s.turn.Lock()
	}
}

// endCommand gives the turn back.
func (sh *shell) endCommand() {
	if s := sh.signals; s != nil {
		s.turn.Unlock()
	}
}

// signaled reports whether a signal is ending the script.
func (sh *shell) signaled() bool {
	return sh.signals != nil && sh.signals.ctx.Err() != nil
}

package repl

import (
	"bufio"
	"context"
	"errors"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"time"

	"github.com/chzyer/readline"
	"golang.org/x/term"
)

// LineReader gives the loop its lines, one at a time, without the line
// ending. It returns io.EOF at the end of input (with the last line if it
// had no newline) and errInterrupt when a person pressed Ctrl-C at the
// prompt.
type LineReader interface {
	ReadLine() (string, error)
	// SetPrompt sets the prompt for the next line; readers without a
	// prompt ignore it.
	SetPrompt(string)
	Close() error
}

// errInterrupt is Ctrl-C at the prompt: the line is dropped.
var errInterrupt = errors.New("interrupted")

// plainReader reads lines from a pipe or a file. It uses bufio.Reader,
// not bufio.Scanner, so a line of any length is read whole.
type plainReader struct {
	r      *bufio.Reader
	closer io.Closer
}

func newPlainReader(r io.Reader, closer io.Closer) *plainReader {
	return &plainReader{r: bufio.NewReaderSize(r, 64<<10), closer: closer}
}

func (p *plainReader) ReadLine() (string, error) {
	line, err := p.r.ReadString('\n')
	line = strings.TrimSuffix(line, "\n")
	return line, err
}

func (p *plainReader) SetPrompt(string) {}

func (p *plainReader) Close() error {
	if p.closer != nil {
		return p.closer.Close()
	}
	return nil
}

// terminalReader reads lines from a person at a terminal through
// readline, with history and completion.
type terminalReader struct {
	rl   *readline.Instance
	hist *history
}

func newTerminalReader(sh *Shell) (*terminalReader, error) {
	hist := openHistory(sh.env)
	rl, err := readline.NewEx(&readline.Config{
		Prompt:                 sh.prompt(),
		AutoComplete:           &completer{sh: sh},
		DisableAutoSaveHistory: true,
		HistoryLimit:           historyLimit,
		HistorySearchFold:      true,
		InterruptPrompt:        "^C",
		Stdout:                 sh.stdout,
		Stderr:                 sh.errOut,
	})
	if err != nil {
		return nil, err
	}
	for _, line := range hist.load() {
		_ = rl.SaveHistory(line)
	}
	return &terminalReader{rl: rl, hist: hist}, nil
}

func (t *terminalReader) ReadLine() (string, error) {
	line, err := t.rl.Readline()
	switch {
	case errors.Is(err, readline.ErrInterrupt):
		return "", errInterrupt
	case err != nil:
		return "", io.EOF
	}
	if strings.TrimSpace(line) != "" {
		_ = t.rl.SaveHistory(line)
	}
	return line, nil
}

func (t *terminalReader) SetPrompt(p string) { t.rl.SetPrompt(p) }

// Close closes readline, bounded in time: readline's Close can hang.
func (t *terminalReader) Close() error {
	done := make(chan error, 1)
	go func() { done <- t.rl.Close() }()
	select {
	case err := <-done:
		return err
	case <-time.After(300 * time.Millisecond):
		return nil
	}
}

// readPassword asks for a secret without echo at the terminal.
func (t *terminalReader) readPassword(prompt string) (string, error) {
	b, err := t.rl.ReadPassword(prompt)
	if errors.Is(err, readline.ErrInterrupt) {
		return "", errors.New("password entry canceled")
	}
	return string(b), err
}

// interrupter turns SIGINT (Ctrl-C while a request runs and the terminal
// is not in raw mode) into canceling that request, never the shell.
type interrupter struct {
	mu     sync.Mutex
	cancel context.CancelFunc
	ch     chan os.Signal
}

func newInterrupter() *interrupter {
	i := &interrupter{ch: make(chan os.Signal, 1)}
	signal.Notify(i.ch, os.Interrupt)
	go func() {
		for range i.ch {
			i.mu.Lock()
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

func (i *interrupter) stop() {
	signal.Stop(i.ch)
	close(i.ch)
}

// isTTY reports whether fd is a terminal.
func isTTY(fd uintptr) bool { return term.IsTerminal(int(fd)) }

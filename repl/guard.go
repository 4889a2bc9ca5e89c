package repl

import (
	"context"
	"errors"
	"io"
)

// errOutputStopped is Ctrl-C while a response was being printed.
var errOutputStopped = errors.New("output stopped")

// outputGuard sits between the shell's buffered stdout and the terminal.
// While a command runs it writes in small pieces and stops as soon as the
// command's context is canceled (Ctrl-C), so a long response stops
// printing at once.
type outputGuard struct {
	w       io.Writer
	ctx     context.Context // the running command's; nil at the prompt
	stopped bool
}

// guardChunk is how much is written between two looks at the context.
const guardChunk = 16 << 10

func (g *outputGuard) Write(p []byte) (int, error) {
	written := 0
	for len(p) > 0 {
		if g.ctx != nil && g.ctx.Err() != nil {
			g.stopped = true
			return written, errOutputStopped
		}
		n := min(len(p), guardChunk)
		m, err := g.w.Write(p[:n])
		written += m
		if err != nil {
			return written, err
		}
		p = p[n:]
	}
	return written, nil
}

package repl

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"

	"github.com/reqsh/reqsh/internal/format"
	"github.com/reqsh/reqsh/internal/words"
)

// Output redirection after a request, as in http-prompt:
//
//	get /get > out.json     the output (as --print selects) to a file
//	get /get >> log.json    appended to a file
//	get /get | jq .args     piped to a shell command, its output shown
//
// The operators count only as whole words outside quotes; what the file
// or pipe gets is what a pipe would: no colors, no terminal escaping.

// Redirection operators.
const (
	opWrite  = ">"
	opAppend = ">>"
	opPipe   = "|"
)

// outputSpec is where a request's output goes instead of the screen.
type outputSpec struct {
	op     string // opWrite, opAppend or opPipe
	target string // the file's name, or the command for sh -c
}

// splitOutput finds the first operator word (>, >> or |, bare) in line.
// It returns the line before it and what it asks for: the file for > and
// >> (the one word after the operator, variables expanded, as any word),
// the rest of the line as typed for | (it goes to sh -c as is, so sh's
// own quoting works; reqsh's {{variables}} are not put into it, so no
// value from a server becomes shell code). No operator: spec is nil.
func (sh *shell) splitOutput(line string) (head string, spec *outputSpec, err error) {
	if strings.IndexByte(line, '>') < 0 && strings.IndexByte(line, '|') < 0 {
		// No operator: no need to tokenize twice. (Two byte searches,
		// vectorized, are cheaper than ContainsAny's set of runes.)
		return line, nil, nil
	}
	spans, ok := words.Spans(line)
	if !ok {
		return line, nil, nil
	}
	for _, w := range spans {
		op := line[w.Start:w.End]
		if w.Quoted || (op != opWrite && op != opAppend && op != opPipe) {
			continue
		}
		head, rest := line[:w.Start], line[w.End:]
		if op == opPipe {
			cmd := strings.TrimSpace(rest)
			if cmd == "" {
				return head, nil, fmt.Errorf("| needs a command to pipe the output to")
			}
			return head, &outputSpec{op: op, target: cmd}, nil
		}
		// Up to the last word: a comment after the file is no word.
		target, err := words.Split(line[w.End:spans[len(spans)-1].End])
		if err != nil {
			return head, nil, err
		}
		switch len(target) {
		case 0:
			return head, nil, fmt.Errorf("%s needs a file name", op)
		case 1:
		default:
			return head, nil, fmt.Errorf("%s takes one file name, not %d words (quote a name with spaces)", op, len(target))
		}
		if target, err = sh.expandWords(target); err != nil {
			return head, nil, err
		}
		return head, &outputSpec{op: op, target: target[0]}, nil
	}
	return line, nil, nil
}

// parseOutputLine parses a command line that may end in an output
// redirection. Only a request takes one: for any other command the
// operator is an ordinary word, as before (header set Note a > b).
func (sh *shell) parseOutputLine(line string) (*command, []string, *outputSpec, error) {
	head, spec, serr := sh.splitOutput(line)
	if spec != nil || serr != nil {
		if cmd, args, err := sh.parseLine(head); cmd != nil && isRequest(cmd) {
			if err == nil {
				err = serr
			}
			return cmd, args, spec, err
		}
	}
	cmd, args, err := sh.parseLine(line)
	return cmd, args, nil, err
}

// isRequest reports whether c is one of the request commands.
func isRequest(c *command) bool {
	return len(c.path) == 1 && slices.Contains(methods, strings.ToLower(c.path[0]))
}

// runWithOutput runs a request command with its output going where spec
// says. The target is opened (the file created, the command started)
// before anything is sent: a target that cannot be used is one error and
// no request. The default --print is a pipe's (b) unless the session's
// default was chosen (--print flag, set print) or the request gives one.
func (sh *shell) runWithOutput(cmd *command, args []string, spec *outputSpec) error {
	t, err := sh.openOutput(spec)
	if err != nil {
		return err
	}
	savedPrinter, savedParts := sh.printer, sh.parts
	sh.printer = format.New(t.buf, format.Options{Pretty: sh.pretty})
	sh.parts = sh.pipeParts()
	sh.redirected = t.buf
	err = cmd.run(sh, args)
	sh.printer, sh.parts, sh.redirected = savedPrinter, savedParts, nil
	if ferr := t.finish(); err == nil {
		err = ferr
	}
	return err
}

// pipeParts is the default --print for output that goes to a file or a
// command: b, as in a pipe, unless the session's default is not the
// terminal's automatic hb (the --print flag or set print chose it).
func (sh *shell) pipeParts() format.Parts {
	if sh.outTerminal && sh.parts == (format.Parts{RespHeaders: true, RespBody: true}) && sh.cfg.print == "" {
		return format.Parts{RespBody: true}
	}
	return sh.parts
}

// printed returns the writer the printer writes to: the redirection's
// target while one is in force, else the shell's output.
func (sh *shell) printed() io.Writer {
	if sh.redirected != nil {
		return sh.redirected
	}
	return sh.out
}

// outputTarget is an open redirection: a file, or the standard input of
// a running sh -c.
type outputTarget struct {
	spec  *outputSpec
	buf   *bufio.Writer // what the printer writes to
	file  *os.File      // > and >>
	cmd   *exec.Cmd     // |
	stdin io.WriteCloser
}

// openOutput opens spec's file or starts its command.
func (sh *shell) openOutput(spec *outputSpec) (*outputTarget, error) {
	t := &outputTarget{spec: spec}
	if spec.op == opPipe {
		t.cmd = exec.Command("sh", "-c", spec.target)
		t.cmd.Env = sh.env
		// What the shell printed so far comes first; the command writes
		// straight to the shell's own output and error output.
		if err := sh.out.Flush(); err != nil {
			return nil, fmt.Errorf("write output: %w", err)
		}
		t.cmd.Stdout, t.cmd.Stderr = sh.stdout, sh.errOut
		stdin, err := t.cmd.StdinPipe()
		if err != nil {
			return nil, fmt.Errorf("pipe to %q: %w", spec.target, err)
		}
		if err := t.cmd.Start(); err != nil {
			return nil, fmt.Errorf("pipe to %q: %w", spec.target, err)
		}
		t.stdin = stdin
		t.buf = bufio.NewWriterSize(&pipeWriter{w: stdin}, 64<<10)
		return t, nil
	}
	flags := os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	if spec.op == opAppend {
		flags = os.O_WRONLY | os.O_CREATE | os.O_APPEND
	}
	f, err := os.OpenFile(spec.target, flags, 0o666)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("%s %q: %w", spec.op, spec.target, err)
	}
	t.file = f
	t.buf = bufio.NewWriterSize(&fileWriter{f: f}, 64<<10)
	return t, nil
}

// finish writes out what is buffered and closes the target: for a pipe
// it waits for the command, and a command that does not exit 0 is an
// error.
func (t *outputTarget) finish() error {
	err := t.buf.Flush()
	if t.file != nil {
		if cerr := t.file.Close(); err == nil && cerr != nil {
			err = &outputError{Target: t.spec.target, Err: cerr}
		}
		return err
	}
	t.stdin.Close()
	if werr := t.cmd.Wait(); werr != nil && err == nil {
		err = fmt.Errorf("pipe to %q: %w", t.spec.target, werr)
	}
	return err
}

// outputError is a failure to write a redirection's file (a full disk):
// the command's output is lost, the shell's own output is not.
type outputError struct {
	Target string // the file's name
	Err    error
}

// Error names the file and what went wrong.
func (e *outputError) Error() string { return fmt.Sprintf("write %q: %v", e.Target, e.Err) }

// Unwrap returns the write error.
func (e *outputError) Unwrap() error { return e.Err }

// fileWriter writes to a redirection's file, its errors as *outputError.
type fileWriter struct{ f *os.File }

func (w *fileWriter) Write(b []byte) (int, error) {
	n, err := w.f.Write(b)
	if err != nil {
		err = &outputError{Target: w.f.Name(), Err: err}
	}
	return n, err
}

// pipeWriter writes to a command's standard input. A command that stops
// reading (| head -c 10) is not an error of the request: the rest of the
// output is dropped, as a shell's pipeline drops it, and the command's
// exit status tells.
type pipeWriter struct {
	w      io.Writer
	broken bool
}

func (p *pipeWriter) Write(b []byte) (int, error) {
	if p.broken {
		return len(b), nil
	}
	n, err := p.w.Write(b)
	if errors.Is(err, syscall.EPIPE) || errors.Is(err, os.ErrClosed) {
		p.broken = true
		return len(b), nil
	}
	return n, err
}

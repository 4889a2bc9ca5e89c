package repl

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/chzyer/readline"
	"golang.org/x/term"
)

// lineReader gives the loop its lines, one at a time, without the line
// ending. It returns io.EOF at the end of input (with the last line if it
// had no newline) and errInterrupt when a person pressed Ctrl-C at the
// prompt.
type lineReader interface {
	ReadLine() (string, error)
	// SetPrompt sets the prompt for the next line; readers without a
	// prompt ignore it.
	SetPrompt(string)
	Close() error
}

// errInterrupt is Ctrl-C at the prompt: the line is dropped.
var errInterrupt = errors.New("interrupted")

// maxLineBytes bounds one command: a physical line, or the lines joined
// by a trailing backslash. It is far above any real command; a longer
// line is not a script (a binary file, a dump), and reading it whole
// would hold it all in memory.
const maxLineBytes = 1 << 20

// excerptLen is how many bytes of a refused line its error quotes.
const excerptLen = 40

// excerptKeep is how many bytes of a refused line its error keeps: the
// excerpt and the rest of a character it cuts.
const excerptKeep = excerptLen + utf8.UTFMax

// inputError is input the shell refuses to read as commands: a line over
// maxLineBytes, binary data (a NUL byte, invalid UTF-8), or input that
// ends inside a quote. The rest of that input is not read: it may never
// end (source /dev/zero).
type inputError struct {
	problem string // what is wrong, e.g. "line too long: over 1 MiB"
	start   []byte // the line's first bytes, at most excerptKeep
}

// newInputError keeps a copy of the first bytes of line.
func newInputError(problem string, line []byte) *inputError {
	return &inputError{problem: problem, start: bytes.Clone(line[:min(len(line), excerptKeep)])}
}

func (e *inputError) Error() string {
	return e.problem + ": " + excerpt(e.start)
}

// excerpt quotes the first excerptLen bytes of b (cut at a character's
// start), with "..." when there is more: short, and safe to print
// whatever b holds.
func excerpt(b []byte) string {
	if len(b) <= excerptLen {
		return strconv.Quote(string(b))
	}
	cut := excerptLen
	for cut > excerptLen-utf8.UTFMax && !utf8.RuneStart(b[cut]) {
		cut--
	}
	return strconv.Quote(string(b[:cut])) + "..."
}

// plainReader reads lines from a pipe or a file. It uses bufio.Reader,
// not bufio.Scanner, so a line of up to maxLineBytes is read whole; a
// longer line or binary data is refused after reading at most
// maxLineBytes of it.
type plainReader struct {
	r      *bufio.Reader
	closer io.Closer
	line   []byte // the line being read, reused
	err    error  // an *inputError once the input was refused
	// block is whole lines read ahead, each with its newline: the
	// lines a read brought at once, made one string (one allocation for
	// many lines, each line a part of it).
	block string
}

// maxBlock bounds a block of lines read ahead: a line a command keeps
// (a variable, a header value in the log) keeps its block alive.
const maxBlock = 4 << 10

func newPlainReader(r io.Reader, closer io.Closer) *plainReader {
	return &plainReader{r: bufio.NewReaderSize(r, 64<<10), closer: closer}
}

func (p *plainReader) ReadLine() (string, error) {
	if p.err != nil {
		return "", p.err
	}
	if p.block == "" {
		p.readBlock()
	}
	if p.block != "" {
		line, rest, _ := strings.Cut(p.block, "\n")
		p.block = rest
		// The checks the loop below makes, in its order; a line of a
		// block is never too long.
		if strings.IndexByte(line, 0) >= 0 {
			p.err = newInputError("binary input, not a script: a NUL byte", []byte(line[:min(len(line), excerptKeep)]))
			return "", p.err
		}
		if !utf8.ValidString(line) {
			p.err = newInputError("binary input, not a script: invalid UTF-8", []byte(line[:min(len(line), excerptKeep)]))
			return "", p.err
		}
		return line, nil
	}
	p.line = p.line[:0]
	for {
		chunk, err := p.r.ReadSlice('\n')
		if bytes.IndexByte(chunk, 0) >= 0 {
			p.err = newInputError("binary input, not a script: a NUL byte", p.head(chunk))
			return "", p.err
		}
		if len(p.line)+len(bytes.TrimSuffix(chunk, []byte("\n"))) > maxLineBytes {
			p.err = newInputError(fmt.Sprintf("line too long: over %d MiB", maxLineBytes>>20), p.head(chunk))
			return "", p.err
		}
		p.line = append(p.line, chunk...)
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		line := bytes.TrimSuffix(p.line, []byte("\n"))
		if !utf8.Valid(line) {
			p.err = newInputError("binary input, not a script: invalid UTF-8", line)
			return "", p.err
		}
		return string(line), err
	}
}

// readBlock makes the whole lines already read (up to maxBlock bytes)
// the block, without waiting for more input. Lines of a script come a
// block at a time from a file or a pipe: a string for each would be one
// allocation a line.
func (p *plainReader) readBlock() {
	buf, _ := p.r.Peek(min(p.r.Buffered(), maxBlock))
	end := bytes.LastIndexByte(buf, '\n')
	if end < 0 {
		return // no whole line: ReadLine reads on
	}
	p.block = string(buf[:end+1])
	p.r.Discard(end + 1)
}

// head returns the first bytes of the line read so far followed by
// chunk, enough for an excerpt, without copying the whole line.
func (p *plainReader) head(chunk []byte) []byte {
	chunk = bytes.TrimSuffix(chunk, []byte("\n"))
	if len(p.line) >= excerptKeep {
		return p.line[:excerptKeep]
	}
	return append(p.line[:len(p.line):len(p.line)], chunk[:min(len(chunk), excerptKeep-len(p.line))]...)
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
	rl      *readline.Instance
	hist    *history
	painter *cursorPainter
}

func newTerminalReader(sh *shell) (*terminalReader, error) {
	hist := openHistory(sh.env)
	painter := &cursorPainter{prompt: sh.prompt(), width: screenWidth}
	rl, err := readline.NewEx(&readline.Config{
		Prompt:                 sh.prompt(),
		FuncGetWidth:           screenWidth,
		Painter:                painter,
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
	return &terminalReader{rl: rl, hist: hist, painter: painter}, nil
}

func (t *terminalReader) ReadLine() (string, error) {
	line, err := t.rl.Readline()
	switch {
	case errors.Is(err, readline.ErrInterrupt):
		return "", errInterrupt
	case err != nil:
		return "", io.EOF
	}
	return line, nil
}

// remember adds a finished command to the history readline walks with
// Up and Ctrl-R (in memory, for this run), once, whole: the lines joined
// by a backslash as one line. A command with a newline (a quote over
// lines) is not added: readline edits one line, and the lines recalled
// apart would run apart.
func (t *terminalReader) remember(cmd string) {
	if strings.TrimSpace(cmd) != "" && !strings.ContainsAny(cmd, "\n\r") {
		_ = t.rl.SaveHistory(cmd)
	}
}

func (t *terminalReader) SetPrompt(p string) { t.painter.setPrompt(p); t.rl.SetPrompt(p) }

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

// isTTY reports whether fd is a terminal.
func isTTY(fd uintptr) bool { return term.IsTerminal(int(fd)) }

package repl

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/reqsh/reqsh/internal/words"
)

// readCommand reads one command, joining lines as sh does: a line ending
// in a backslash goes on with the next line (the backslash and the newline
// go), and so does a line that ends inside a quote (the newline is quoted
// text, kept). It returns the command, the number of its first line, and
// io.EOF with the last command when the input ends. Input that ends inside
// a quote is an *inputError naming the line where the quote opened, and the
// command is dropped. On another error the number is that of the line that
// could not be read (the first line of a command too long).
//
// prompt, when not nil, gives the prompt of a command's first line; its
// other lines get "... ".
func (sh *shell) readCommand(r lineReader, lineNo *int, prompt func() string) (string, int, error) {
	var b strings.Builder
	var scan words.Scanner
	first := *lineNo + 1
	more := false // the command goes on over the next line
	for {
		if sh.inTerminal {
			// Someone is typing: show what the last command printed.
			sh.out.Flush()
		}
		if prompt != nil {
			p := "... "
			if !more {
				p = prompt()
			}
			r.SetPrompt(p)
		}
		line, err := r.ReadLine()
		if err != nil && !(errors.Is(err, io.EOF) && line != "") {
			switch {
			case errors.Is(err, io.EOF) && scan.InQuote():
				return "", first, sh.openQuoteError(r, &scan, first, b.String())
			case errors.Is(err, io.EOF) && more:
				return b.String(), first, io.EOF
			}
			return "", *lineNo + 1, err
		}
		*lineNo++
		line = strings.TrimSuffix(line, "\r")
		ls := scan.Scan(line)
		add := len(ls.Text)
		if ls.End == words.LineQuoted {
			add++ // the newline
		}
		if b.Len()+add > maxLineBytes {
			b.WriteString(ls.Text[:min(len(ls.Text), excerptKeep)])
			how := `\`
			if scan.InQuote() {
				how = "an open quote"
			}
			problem := fmt.Sprintf("command too long: over %d MiB in lines joined by %s", maxLineBytes>>20, how)
			head := b.String()
			return "", first, newInputError(problem, []byte(head[:min(len(head), excerptKeep)]))
		}
		if !more && ls.End == words.LineDone {
			// A command of one line, the usual case: the line itself,
			// without a copy through the builder.
			remember(r, ls.Text)
			return ls.Text, first, err
		}
		b.WriteString(ls.Text)
		switch ls.End {
		case words.LineQuoted:
			b.WriteByte('\n')
			fallthrough
		case words.LineJoined:
			more = true
			continue
		}
		remember(r, b.String())
		return b.String(), first, err
	}
}

// openQuoteError is input that ended inside a quote: nothing of the
// command runs. In a script it names the line where the quote opened.
func (sh *shell) openQuoteError(r lineReader, scan *words.Scanner, first int, cmd string) error {
	problem := "unterminated " + scan.QuoteName() + " quote"
	if _, atPrompt := r.(*terminalReader); !atPrompt {
		problem += fmt.Sprintf(" opened on line %d", first+scan.QuoteLine()-1)
	}
	return newInputError(problem, []byte(cmd))
}

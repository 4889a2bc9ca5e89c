package repl

import (
	"sync"
	"unicode"

	"github.com/chzyer/readline"
	"golang.org/x/text/width"

	"github.com/reqsh/reqsh/internal/ansi"
)

// defaultColumns is the width assumed when the terminal reports none.
const defaultColumns = 80

// screenWidth is readline's terminal width, 80 when the terminal reports
// 0 columns (some CI terminals, script, an unsized pty): with a width of
// 0 readline redraws the whole line with a backspace for every character
// on each key and Tab only beeps.
func screenWidth() int {
	if w := readline.GetScreenWidth(); w > 0 {
		return w
	}
	return defaultColumns
}

// cursorPainter puts the cursor back in its column on a line with wide
// characters. After drawing the line readline moves the cursor back from
// the end with one backspace per character, not per column, so after a
// CJK character or an emoji (two columns) it stops too far right; after
// a combining mark (no column) too far left. The painter adds what is
// missing (backspaces, or moves to the right) after the line, so that
// readline's backspaces end in the right column. It only does so when
// the prompt and the line fit on one row: backspaces do not go up a row,
// and readline's own arithmetic for a wrapped line is its own.
type cursorPainter struct {
	mu     sync.Mutex
	prompt string
	width  func() int
}

// setPrompt records the prompt readline shows before the line.
func (p *cursorPainter) setPrompt(prompt string) {
	p.mu.Lock()
	p.prompt = prompt
	p.mu.Unlock()
}

// Paint implements readline.Painter: the line as it is, then the cursor
// correction for the characters after pos.
func (p *cursorPainter) Paint(line []rune, pos int) []rune {
	p.mu.Lock()
	prompt := p.prompt
	p.mu.Unlock()
	if pos < 0 || pos >= len(line) {
		return line
	}
	var rl readline.Runes
	shown := ansi.StripCSI([]rune(prompt))
	promptCols := max(rl.WidthAll(shown), columnsOf(shown))
	lineCols := max(rl.WidthAll(line), columnsOf(line), len(line))
	if promptCols+lineCols >= p.width() {
		return line
	}
	extra := columnsOf(line[pos:]) - len(line[pos:])
	if extra == 0 {
		return line
	}
	out := make([]rune, len(line), len(line)+8)
	copy(out, line)
	if extra > 0 {
		for range extra {
			out = append(out, '\b')
		}
		return out
	}
	return append(out, []rune(ansi.CursorForward(-extra))...)
}

// columnsOf is how many terminal columns a line takes, as terminals draw
// it: East Asian wide and fullwidth characters (CJK, most emoji) take
// two, combining marks and format characters none, a tab what readline
// draws for it.
func columnsOf(line []rune) int {
	n := 0
	for _, r := range line {
		n += runeColumns(r)
	}
	return n
}

// runeColumns is the columns of one character (see columnsOf).
func runeColumns(r rune) int {
	switch {
	case r == '\t':
		return readline.TabWidth
	case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf, unicode.Cc):
		return 0
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}

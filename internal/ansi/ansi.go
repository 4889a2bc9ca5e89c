// Package ansi is the one place reqsh's terminal escape sequences come
// from. Colors are fatih/color's: a Style is a *color.Color made from its
// attributes, enabled or disabled on the object itself (fatih/color's
// global NoColor is never read or written, so two outputs may differ and
// tests do not race). The few sequences that are not colors (erasing a
// line, moving the cursor) are named here once. Writer gives the writer
// colors go to: on a Windows console, go-colorable's translation, as
// fatih/color does for its own standard output.
//
// It imports nothing of reqsh: the printer (internal/format) and the
// shell (repl) both take their sequences from it.
package ansi

import (
	"io"
	"os"
	"strconv"

	"github.com/fatih/color"
	"github.com/mattn/go-colorable"
)

// Style is one color of reqsh's output. The zero Style is plain: it
// writes text as it is.
type Style struct{ c *color.Color }

// NewStyle returns a Style of fatih/color's attributes (color.Bold,
// color.FgCyan, ...) when enable is set, else the plain Style.
func NewStyle(enable bool, attrs ...color.Attribute) Style {
	if !enable {
		return Style{}
	}
	c := color.New(attrs...)
	c.EnableColor()
	return Style{c: c}
}

// Plain reports whether the style writes no escape sequences.
func (s Style) Plain() bool { return s.c == nil }

// Sprint returns text colored as fatih/color's Sprint colors it: each
// attribute is turned off by its own code after the text (bold by
// \x1b[22m), so the style ends without ending any other.
func (s Style) Sprint(text string) string {
	if s.c == nil {
		return text
	}
	return s.c.Sprint(text)
}

// AppendTail colors b[start:] in place, as Sprint does: the text a
// printer has just appended (and sanitized) becomes colored text.
func (s Style) AppendTail(b []byte, start int) []byte {
	if s.c == nil {
		return b
	}
	colored := s.c.Sprint(string(b[start:]))
	return append(b[:start], colored...)
}

// Fprint writes text colored as fatih/color's Fprint writes it: the
// style's attributes, the text, then a full reset (\x1b[0m), so nothing
// of it is left on for what the terminal shows next (a prompt's line).
func (s Style) Fprint(w io.Writer, text string) (int, error) {
	if s.c == nil {
		return io.WriteString(w, text)
	}
	return s.c.Fprint(w, text)
}

// Palette is reqsh's colors, all in one place: the plain palette
// (every Style plain) when colors are off.
type Palette struct {
	// RequestLine is `GET /path HTTP/1.1`: bold.
	RequestLine Style
	// Name is a header's or a metadata line's name: cyan.
	Name Style
	// Status is the status line by class: [0] for a code outside 1xx to
	// 5xx, bold; then 1xx blue, 2xx green, 3xx cyan, 4xx yellow, 5xx
	// red, all bold.
	Status [6]Style
	// Prompt is the base URL in the prompt: bold, no hue, readable on
	// dark and light backgrounds.
	Prompt Style
}

// NewPalette returns reqsh's palette, colored when enable is set.
func NewPalette(enable bool) Palette {
	return Palette{
		RequestLine: NewStyle(enable, color.Bold),
		Name:        NewStyle(enable, color.FgCyan),
		Status: [6]Style{
			NewStyle(enable, color.Bold),
			NewStyle(enable, color.Bold, color.FgBlue),
			NewStyle(enable, color.Bold, color.FgGreen),
			NewStyle(enable, color.Bold, color.FgCyan),
			NewStyle(enable, color.Bold, color.FgYellow),
			NewStyle(enable, color.Bold, color.FgRed),
		},
		Prompt: NewStyle(enable, color.Bold),
	}
}

// Reset writes fatih/color's reset of every attribute (\x1b[0m): after
// output was cut off in the middle of a colored part, the terminal's
// colors are the default again. It writes nothing when enable is false.
func Reset(w io.Writer, enable bool) {
	if !enable {
		return
	}
	c := color.New()
	c.EnableColor()
	c.UnsetWriter(w)
}

// ClearLine is a carriage return, then CSI K (erase to the end of the
// line): the cursor's line is empty and the cursor at its start, as a
// progress bar redrawn in place needs.
const ClearLine = "\r\x1b[K"

// CursorForward returns CSI n C: the cursor moves n columns right (none
// for n < 1).
func CursorForward(n int) string {
	if n < 1 {
		return ""
	}
	return "\x1b[" + strconv.Itoa(n) + "C"
}

// StripCSI drops the control sequences (ESC [ ... final byte) of rs: what
// is left is what the terminal shows, as a colored prompt's width needs.
func StripCSI(rs []rune) []rune {
	out := make([]rune, 0, len(rs))
	for i := 0; i < len(rs); i++ {
		if rs[i] == '\x1b' && i+1 < len(rs) && rs[i+1] == '[' {
			j := i + 2
			for j < len(rs) && (rs[j] < '@' || rs[j] > '~') {
				j++
			}
			i = j
			continue
		}
		out = append(out, rs[i])
	}
	return out
}

// Writer returns the writer colors for w go to, as fatih/color makes its
// own standard output: go-colorable's writer for an *os.File, which on a
// Windows console that does not take escape sequences turns them into
// console calls, and is the file itself anywhere else (another system, a
// file, a pipe). Any other writer is returned as it is.
func Writer(w io.Writer) io.Writer {
	if f, ok := w.(*os.File); ok && f != nil {
		return colorable.NewColorable(f)
	}
	return w
}

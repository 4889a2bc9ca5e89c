package format

import (
	"errors"
	"io"
	"unicode/utf8"

	"github.com/tidwall/pretty"
)

// prettyWidth is tidwall/pretty's Width: the widest an array or object
// may be to print on one line.
const prettyWidth = 80

// streamWindow is the read window of a jsonStream, and so the furthest it
// looks ahead to decide whether a container fits on one line.
const streamWindow = 64 << 10

// streamChunk is how much formatted output a jsonStream gathers before
// it writes it.
const streamChunk = 64 << 10

// recordSeparator starts each document of application/json-seq (RFC 7464).
const recordSeparator = 0x1e

// errInvalidJSON is returned when a streamed document is not JSON.
var errInvalidJSON = errors.New("invalid JSON")

// window is a jsonStream's input: a buffer over a reader that can look
// ahead without consuming.
type window struct {
	r    io.Reader
	buf  []byte
	i, n int   // buf[i:n] is read and not consumed
	err  error // the reader's error, once it gave one
	// wait is called before a read that may block, so output is never
	// held back waiting for input.
	wait func()
}

// fill reads more input, keeping buf[i:n] (moved to the front). It
// reports false when nothing more came: the reader's end or error, or a
// window full of unconsumed input.
func (w *window) fill() bool {
	if w.err != nil {
		return false
	}
	if w.i > 0 {
		w.n = copy(w.buf, w.buf[w.i:w.n])
		w.i = 0
	}
	if w.n == len(w.buf) {
		return false
	}
	if w.wait != nil {
		w.wait()
	}
	for {
		m, err := w.r.Read(w.buf[w.n:])
		w.n += m
		if err != nil {
			w.err = err
		}
		if m > 0 || err != nil {
			return m > 0
		}
	}
}

// at returns the byte k bytes past the read position, reading more as
// needed; ok is false when the input ends first.
func (w *window) at(k int) (c byte, ok bool) {
	for w.i+k >= w.n {
		if !w.fill() {
			return 0, false
		}
	}
	return w.buf[w.i+k], true
}

// cur returns the next byte without consuming it.
func (w *window) cur() (byte, bool) { return w.at(0) }

// isSpace reports JSON whitespace.
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// skipSpace consumes whitespace and returns the next byte.
func (w *window) skipSpace() (byte, bool) {
	for {
		for w.i < w.n {
			if c := w.buf[w.i]; !isSpace(c) {
				return c, true
			}
			w.i++
		}
		if !w.fill() {
			return 0, false
		}
	}
}

// layout is how a jsonStream lays out a value.
type layout uint8

const (
	layoutPretty  layout = iota // tidwall/pretty's: one line when it fits, else indented
	layoutOneLine               // pretty's single-line form: `[1, 2]`, `{ "a": 1 }`
	layoutCompact               // no whitespace at all (nesting over maxPrettyDepth)
	layoutRaw                   // the whitespace the document has (pretty off)
)

// jsonStream formats JSON documents read from a reader as they arrive:
// the bytes jsonDoc gives for a whole document (tidwall/pretty's layout,
// appendColor's colors, appendTerminalJSON's escapes), with memory bounded
// by the nesting depth and a fixed read window, not the document's size.
// Containers nested deeper than maxPrettyDepth print compact in place.
type jsonStream struct {
	in       window
	w        io.Writer
	out      []byte
	werr     error // the first write error
	color    bool
	terminal bool
	pretty   bool
	style    *pretty.Style
	col      int // the column as tidwall/pretty counts it (len(buf)-nl)
	lastNL   bool
}

// newJSONStream returns a jsonStream reading r and writing formatted
// documents to w.
func newJSONStream(r io.Reader, w io.Writer, opts Options) *jsonStream {
	s := &jsonStream{
		w: w, color: opts.Color, terminal: opts.Terminal, pretty: opts.Pretty,
		style: pretty.TerminalStyle, lastNL: true,
	}
	s.in = window{r: r, buf: make([]byte, streamWindow), wait: s.flush}
	return s
}

// flush writes the formatted output gathered so far, but for a trailing
// space, which a newline may still replace as tidwall/pretty does.
func (s *jsonStream) flush() {
	n := len(s.out)
	if n > 0 && s.out[n-1] == ' ' {
		n--
	}
	s.write(s.out[:n])
	s.out = s.out[:copy(s.out, s.out[n:])]
}

// finish writes all the output gathered.
func (s *jsonStream) finish() {
	s.write(s.out)
	s.out = s.out[:0]
}

// write writes b unless an earlier write failed.
func (s *jsonStream) write(b []byte) {
	if len(b) == 0 || s.werr != nil {
		return
	}
	_, s.werr = s.w.Write(b)
	s.lastNL = b[len(b)-1] == '\n'
}

// emit appends b to the output.
func (s *jsonStream) emit(b ...byte) {
	s.out = append(s.out, b...)
	s.col += len(b)
}

// paint appends one byte between the halves of a color.
func (s *jsonStream) paint(p [2]string, c byte) {
	if s.color {
		s.out = append(s.out, p[0]...)
		s.out = append(s.out, c)
		s.out = append(s.out, p[1]...)
	} else {
		s.out = append(s.out, c)
	}
	s.col++
}

// newline starts a new line as tidwall/pretty does: replacing a trailing
// space (then the column restarts at 0) or appending (then pretty's
// column count starts at 1).
func (s *jsonStream) newline() {
	if n := len(s.out); n > 0 && s.out[n-1] == ' ' {
		s.out[n-1] = '\n'
		s.col = 0
		return
	}
	s.out = append(s.out, '\n')
	s.col = 1
}

// indent appends two spaces for each level.
func (s *jsonStream) indent(tabs int) {
	for range tabs {
		s.out = append(s.out, ' ', ' ')
	}
	s.col += 2 * tabs
}

// Documents formats every document in the input, one after another (a
// JSON text, or newline-delimited JSON), each ending with a newline. It
// stops at the input's end, a read error, a write error, or input that is
// not JSON (errInvalidJSON; the input from there is left unconsumed in
// Rest).
func (s *jsonStream) Documents() error {
	for first := true; ; first = false {
		lay := layoutPretty
		if !s.pretty {
			lay = layoutRaw
		}
		if lay == layoutRaw && first {
			// A document's leading whitespace stays, as jsonDoc keeps it
			// (without carriage returns at a terminal).
			s.rawSpace()
		}
		c, ok := s.in.skipSpace()
		for ok && c == recordSeparator {
			// application/json-seq puts RS before each document.
			s.in.i++
			c, ok = s.in.skipSpace()
		}
		if !ok {
			break
		}
		s.col = 0
		if err := s.value(c, lay, 0); err != nil {
			if s.color {
				// A color may be open where the input went wrong.
				s.out = append(s.out, s.style.Null[1]...)
			}
			s.finish()
			if s.werr != nil {
				return s.werr
			}
			return err
		}
		s.out = append(s.out, '\n')
		if len(s.out) >= streamChunk {
			s.flush()
		}
	}
	s.finish()
	if s.werr != nil {
		return s.werr
	}
	if s.in.err != nil && s.in.err != io.EOF {
		return s.in.err
	}
	return nil
}

// Rest returns a reader of the input not consumed: after errInvalidJSON,
// the text from the offending byte on.
func (s *jsonStream) Rest() io.Reader {
	rest := append([]byte(nil), s.in.buf[s.in.i:s.in.n]...)
	if s.in.err != nil {
		return &prefixReader{b: rest}
	}
	return io.MultiReader(&prefixReader{b: rest}, s.in.r)
}

// prefixReader reads a byte slice once.
type prefixReader struct{ b []byte }

func (p *prefixReader) Read(b []byte) (int, error) {
	if len(p.b) == 0 {
		return 0, io.EOF
	}
	n := copy(b, p.b)
	p.b = p.b[n:]
	return n, nil
}

// rawSpace copies whitespace as it is (dropping carriage returns at a
// terminal) when a token follows it; whitespace at the end is left out.
func (s *jsonStream) rawSpace() {
	start := len(s.out)
	for {
		c, ok := s.in.cur()
		if !ok || !isSpace(c) {
			if !ok {
				s.out = s.out[:start]
			}
			return
		}
		s.in.i++
		if c == '\r' && s.terminal {
			continue
		}
		s.out = append(s.out, c)
		if len(s.out)-start >= streamChunk {
			// A run this long is not trimmed at the end; it is written.
			s.flush()
			start = 0
		}
	}
}

// value formats the value starting with c (not consumed yet).
func (s *jsonStream) value(c byte, lay layout, tabs int) error {
	switch c {
	case '{', '[':
		if tabs >= maxPrettyDepth && lay != layoutRaw {
			lay = layoutCompact
		}
		if tabs >= maxJSONDepth {
			return errInvalidJSON
		}
		if lay == layoutPretty {
			if max := prettyWidth - s.col; max > 3 && s.fits(max) {
				lay = layoutOneLine
			}
		}
		return s.container(c, lay, tabs)
	case '"':
		return s.str(false)
	case 't':
		return s.literal("true", s.style.True)
	case 'f':
		return s.literal("false", s.style.False)
	case 'n':
		return s.literal("null", s.style.Null)
	}
	return s.number()
}

// container formats an array or object in a layout.
func (s *jsonStream) container(open byte, lay layout, tabs int) error {
	close := open + 2 // ']' or '}'
	object := open == '{'
	s.in.i++
	s.paint(s.style.Brackets, open)
	for n := 0; ; n++ {
		if lay == layoutRaw {
			s.rawSpace()
		}
		c, ok := s.in.skipSpace()
		if !ok {
			return errInvalidJSON
		}
		if c == close {
			s.in.i++
			switch lay {
			case layoutPretty:
				if n > 0 {
					s.newline()
					s.indent(tabs)
				}
			case layoutOneLine:
				if object {
					s.emit(' ')
				}
			}
			s.paint(s.style.Brackets, close)
			return nil
		}
		if n > 0 {
			if c != ',' {
				return errInvalidJSON
			}
			s.in.i++
			if object {
				s.paint(s.style.Brackets, ',')
			} else {
				s.emit(',')
			}
			if lay == layoutPretty || lay == layoutOneLine {
				s.emit(' ')
			}
			if lay == layoutRaw {
				s.rawSpace()
			}
			if c, ok = s.in.skipSpace(); !ok {
				return errInvalidJSON
			}
		} else if object && (lay == layoutPretty || lay == layoutOneLine) {
			s.emit(' ')
		}
		if lay == layoutPretty {
			s.newline()
			s.indent(tabs + 1)
		}
		if object {
			if c != '"' {
				return errInvalidJSON
			}
			if err := s.str(true); err != nil {
				return err
			}
			if lay == layoutRaw {
				s.rawSpace()
			}
			if c, ok = s.in.skipSpace(); !ok || c != ':' {
				return errInvalidJSON
			}
			s.in.i++
			s.paint(s.style.Brackets, ':')
			if lay != layoutCompact && lay != layoutRaw {
				s.emit(' ')
			}
			if lay == layoutRaw {
				s.rawSpace()
			}
			if c, ok = s.in.skipSpace(); !ok {
				return errInvalidJSON
			}
		}
		if c == close || c == ',' || c == ':' || c == ']' || c == '}' {
			return errInvalidJSON
		}
		if err := s.value(c, lay, tabs+1); err != nil {
			return err
		}
		if len(s.out) >= streamChunk {
			s.flush()
		}
	}
}

// literal formats true, false or null.
func (s *jsonStream) literal(word string, p [2]string) error {
	for k := 0; k < len(word); k++ {
		if c, ok := s.in.at(k); !ok || c != word[k] {
			return errInvalidJSON
		}
	}
	s.in.i += len(word)
	if s.color {
		s.out = append(s.out, p[0]...)
	}
	s.out = append(s.out, word...)
	if s.color {
		s.out = append(s.out, p[1]...)
	}
	s.col += len(word)
	return nil
}

// number formats a number, checking it against JSON's grammar:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (s *jsonStream) number() error {
	if s.color {
		s.out = append(s.out, s.style.Number[0]...)
	}
	// state: 0 start, 1 after '-', 2 after a leading 0, 3 in integer
	// digits, 4 after '.', 5 in fraction digits, 6 after e, 7 after
	// the exponent's sign, 8 in exponent digits.
	state := 0
	for {
		c, ok := s.in.cur()
		next := -1
		if ok {
			switch {
			case c == '-' && state == 0:
				next = 1
			case c == '0' && (state == 0 || state == 1):
				next = 2
			case c >= '1' && c <= '9' && (state == 0 || state == 1):
				next = 3
			case isDigit(c) && state == 3:
				next = 3
			case c == '.' && (state == 2 || state == 3):
				next = 4
			case isDigit(c) && (state == 4 || state == 5):
				next = 5
			case (c == 'e' || c == 'E') && (state == 2 || state == 3 || state == 5):
				next = 6
			case (c == '+' || c == '-') && state == 6:
				next = 7
			case isDigit(c) && state >= 6:
				next = 8
			}
		}
		if next < 0 {
			if state != 2 && state != 3 && state != 5 && state != 8 {
				return errInvalidJSON
			}
			if ok && !isSpace(c) && c != ',' && c != ']' && c != '}' {
				return errInvalidJSON
			}
			break
		}
		state = next
		s.out = append(s.out, c)
		s.col++
		s.in.i++
	}
	if s.color {
		s.out = append(s.out, s.style.Number[1]...)
	}
	return nil
}

// str formats a string starting at its opening quote: a key or a value,
// colored as appendColor colors it, with what must not reach a terminal
// escaped as appendTerminalJSON escapes it.
func (s *jsonStream) str(key bool) error {
	p := s.style.String
	if key {
		p = s.style.Key
	}
	if s.color {
		s.out = append(s.out, p[0]...)
	}
	s.out = append(s.out, '"')
	s.col++
	s.in.i++
	for {
		// Copy the run of plain bytes in the window at once.
		w := &s.in
		j := w.i
		for j < w.n && !jsonStringByte[w.buf[j]] {
			j++
		}
		s.out = append(s.out, w.buf[w.i:j]...)
		s.col += j - w.i
		w.i = j
		if len(s.out) >= streamChunk {
			s.flush()
		}
		c, ok := w.cur()
		if !ok {
			return errInvalidJSON
		}
		switch {
		case !jsonStringByte[c]:
			// More plain bytes came in: copy them on the next round.
		case c == '"':
			w.i++
			s.out = append(s.out, '"')
			s.col++
			if s.color {
				s.out = append(s.out, p[1]...)
			}
			return nil
		case c == '\\':
			n := 2
			if e, ok := w.at(1); !ok {
				return errInvalidJSON
			} else if e == 'u' {
				n = 6
				for k := 2; k < 6; k++ {
					if h, ok := w.at(k); !ok || !isHex(h) {
						return errInvalidJSON
					}
				}
			} else if !isEscapeChar(e) {
				return errInvalidJSON
			}
			s.escape(p, w.buf[w.i:w.i+n])
			w.i += n
		case c < 0x20:
			return errInvalidJSON
		case c < utf8.RuneSelf: // DEL
			w.i++
			if s.terminal {
				s.escape(p, appendUEscape(nil, rune(c)))
			} else {
				s.emit(c)
			}
		default:
			// A whole rune, reading more when it is cut at the window's end.
			for k := 1; k < utf8.UTFMax && !utf8.FullRune(w.buf[w.i:w.n]); k++ {
				if _, ok := w.at(k); !ok {
					break
				}
			}
			r, size := utf8.DecodeRune(w.buf[w.i:w.n])
			if s.terminal && dangerous(r, size) {
				s.escape(p, appendUEscape(nil, r))
			} else {
				s.emit(w.buf[w.i : w.i+size]...)
			}
			w.i += size
		}
	}
}

// escape appends an escape sequence inside a string of paint p.
func (s *jsonStream) escape(p [2]string, seq []byte) {
	if s.color {
		s.out = append(s.out, p[1]...)
		s.out = append(s.out, s.style.Escape[0]...)
	}
	s.out = append(s.out, seq...)
	if s.color {
		s.out = append(s.out, s.style.Escape[1]...)
		s.out = append(s.out, p[0]...)
	}
	s.col += len(seq)
}

// isEscapeChar reports the characters a JSON backslash escape may name
// (other than u).
func isEscapeChar(c byte) bool {
	switch c {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return true
	}
	return false
}

// fits reports whether the container at the read position, laid out on
// one line, takes at most max bytes, looking ahead without consuming. It
// answers false when the input is not JSON or the answer lies beyond the
// read window.
func (s *jsonStream) fits(max int) bool {
	w := &s.in
	k := 0 // offset from w.i
	width := 0
	// stack[d] is the container open at depth d: an object or an array,
	// and whether it is still empty.
	var stack [maxPrettyDepth + 1]struct{ object, empty bool }
	depth := 0
	item := func() {
		if depth > 0 {
			stack[depth-1].empty = false
		}
	}
	for {
		c, ok := w.at(k)
		if !ok {
			return false
		}
		if isSpace(c) {
			k++
			continue
		}
		switch c {
		case '{', '[':
			if depth == len(stack) {
				return false
			}
			item()
			stack[depth].object, stack[depth].empty = c == '{', true
			depth++
			width++
			if c == '{' {
				width++ // `{ ` (and the space of an empty `{ }`)
			}
			k++
		case '}', ']':
			if depth == 0 {
				return false
			}
			depth--
			if stack[depth].object && !stack[depth].empty {
				width++ // ` }`
			}
			width++
			k++
			if depth == 0 {
				return width <= max
			}
		case ',', ':':
			width += 2 // `, ` and `: `
			k++
		case '"':
			item()
			n, ok := s.strWidth(&k, max-width)
			if !ok {
				return false
			}
			width += n
		default:
			item()
			start := k
			for {
				c, ok := w.at(k)
				if !ok || isSpace(c) || c == ',' || c == ':' || c == ']' || c == '}' {
					break
				}
				k++
				if width+k-start > max {
					return false
				}
			}
			if k == start {
				return false
			}
			width += k - start
		}
		if width > max {
			return false
		}
	}
}

// strWidth measures the string at offset *k as str would write it,
// moving *k past it; it gives up (false) once the width passes limit.
func (s *jsonStream) strWidth(k *int, limit int) (int, bool) {
	w := &s.in
	width := 1
	*k++
	for {
		if width > limit {
			return width, false
		}
		c, ok := w.at(*k)
		if !ok {
			return 0, false
		}
		switch {
		case c == '"':
			*k++
			return width + 1, true
		case c == '\\':
			e, ok := w.at(*k + 1)
			if !ok {
				return 0, false
			}
			n := 2
			if e == 'u' {
				n = 6
			}
			*k += n
			width += n
		case c < utf8.RuneSelf:
			*k++
			if c == 0x7f && s.terminal {
				width += 6
			} else {
				width++
			}
		default:
			for j := 1; j < utf8.UTFMax && !utf8.FullRune(w.buf[w.i+*k:w.n]); j++ {
				if _, ok := w.at(*k + j); !ok {
					break
				}
			}
			r, size := utf8.DecodeRune(w.buf[w.i+*k : w.n])
			*k += size
			if s.terminal && dangerous(r, size) {
				width += 6
			} else {
				width += size
			}
		}
	}
}

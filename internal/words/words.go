// Package words splits reqsh's command lines into words, as sh does:
// quotes, backslash escapes and comments (Split); it finds where each
// word lies in the line (Spans), and where a command read line by line
// ends (Scanner: a trailing backslash or an open quote continues it). It
// is pure text work: it imports nothing of reqsh and does no I/O.
package words

import (
	"fmt"
	"slices"
	"unicode/utf8"
)

// Messages carried by a *SyntaxError returned from Split.
const (
	MsgUnterminatedSingle = "unterminated single quote"
	MsgUnterminatedDouble = "unterminated double quote"
)

// SyntaxError reports bad quoting in a command line. Split returns it as a
// *SyntaxError, so callers can use errors.As and look at Msg and Pos.
type SyntaxError struct {
	// Msg says what is wrong: MsgUnterminatedSingle or MsgUnterminatedDouble.
	Msg string
	// Pos is the 1-based column of the opening quote, counted in characters
	// (each byte of invalid UTF-8 counts as one).
	Pos int
}

// Error returns e.g. "bad quoting: unterminated double quote at column 7".
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("bad quoting: %s at column %d", e.Msg, e.Pos)
}

// Split splits one command line into words, shell-like.
//
// Words are separated by unquoted spaces and tabs; a line that is empty or
// only blanks has no words (nil, nil). Inside 'single quotes' everything is
// literal up to the next single quote. Inside "double quotes" everything is
// literal, except that a backslash escapes a double quote or a backslash (a
// backslash before any other character stays, with that character). Quoted
// parts may be glued to other text in one word: a"b c"d is the word "ab cd";
// an empty pair of quotes standing alone is an empty word.
//
// Outside quotes a backslash escapes a space, a tab, a quote or a backslash:
// the backslash is removed and the character taken literally. A backslash
// before any other character is kept with it, so request-item escapes such
// as a\:b=c pass through unchanged; a lone backslash at the end of the line
// is kept too (line continuation is handled before tokenizing).
//
// A # that starts a word (at the start of the line or after a blank, not
// quoted or escaped) begins a comment: it and the rest of the line are no
// words, as in sh. A # inside a word (/p#top, c==a#b) or quoted ('#x') is
// an ordinary character.
//
// The line is one command: the lines of a command continued over several
// (see Scanner) are joined first, so a newline in line is an ordinary
// character, as in a quoted multi-line body.
//
// An unclosed quote is a *SyntaxError. Any byte sequence is accepted
// otherwise: NUL, control characters and invalid UTF-8 are bytes of words.
func Split(line string) ([]string, error) { return AppendSplit(nil, line) }

// AppendSplit is Split appending the words of line to dst, as
// strconv.AppendInt appends: it returns the extended slice (dst itself
// when line has no words), or nil and the *SyntaxError. A caller that
// splits many lines can give it room for their words, instead of one
// allocation a line.
func AppendSplit(dst []string, line string) ([]string, error) {
	// Fast path: no quotes and no backslashes, so the words are plain
	// substrings of line. Count them first to allocate once.
	count := 0
	inWord := false
scan:
	for i := 0; i < len(line); i++ {
		// One table look-up a byte: most bytes are of a word.
		switch class[line[i]] {
		case classWord:
			if !inWord {
				inWord = true
				count++
			}
		case classBlank:
			inWord = false
		case classHash:
			if !inWord {
				line = line[:i] // a comment
				break scan
			}
			inWord = true
		default: // a quote or a backslash
			return splitSlow(dst, line)
		}
	}
	if count == 0 {
		return dst, nil
	}
	words := dst
	if dst == nil {
		words = make([]string, 0, count)
	} else {
		words = slices.Grow(dst, count)
	}
	start := -1
	for i := 0; i < len(line); i++ {
		if class[line[i]] == classBlank {
			if start >= 0 {
				words = append(words, line[start:i])
				start = -1
			}
		} else if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		words = append(words, line[start:])
	}
	return words, nil
}

// Byte classes, for the loops that look at every byte of a line.
const (
	classWord  = iota // part of a word
	classBlank        // a space or a tab: separates words
	classHash         // #: starts a comment at the start of a word
	classQuote        // ' " or \: quoting or escaping
)

// class is each byte's class (read only).
var class = [256]uint8{
	' ': classBlank, '\t': classBlank,
	'#':  classHash,
	'\'': classQuote, '"': classQuote, '\\': classQuote,
}

// isBlank reports whether c separates words.
func isBlank(c byte) bool { return c == ' ' || c == '\t' }

// isSpecial reports whether c starts quoting or escaping outside quotes.
func isSpecial(c byte) bool { return c == '\'' || c == '"' || c == '\\' }

// splitSlow handles the general case, quotes and backslashes included.
// A word without special characters is still taken as a substring of line;
// the others are built in a buffer shared by all words.
func splitSlow(dst []string, line string) ([]string, error) {
	words := dst
	if words == nil {
		words = make([]string, 0, 8)
	}
	var buf []byte
	i, n := 0, len(line)
	for {
		for i < n && isBlank(line[i]) {
			i++
		}
		if i >= n || line[i] == '#' {
			return words, nil // the end, or a comment
		}
		start := i
		for i < n && !isBlank(line[i]) && !isSpecial(line[i]) {
			i++
		}
		if i >= n || isBlank(line[i]) {
			words = append(words, line[start:i])
			continue
		}
		if buf == nil {
			buf = make([]byte, 0, n-start)
		}
		buf = append(buf[:0], line[start:i]...)
		for i < n && !isBlank(line[i]) {
			switch c := line[i]; c {
			case '\'':
				open := i
				i++
				j := i
				for j < n && line[j] != '\'' {
					j++
				}
				if j >= n {
					return nil, &SyntaxError{Msg: MsgUnterminatedSingle, Pos: column(line, open)}
				}
				buf = append(buf, line[i:j]...)
				i = j + 1
			case '"':
				open := i
				i++
				for {
					if i >= n {
						return nil, &SyntaxError{Msg: MsgUnterminatedDouble, Pos: column(line, open)}
					}
					c := line[i]
					if c == '"' {
						i++
						break
					}
					if c == '\\' && i+1 < n && (line[i+1] == '"' || line[i+1] == '\\') {
						buf = append(buf, line[i+1])
						i += 2
						continue
					}
					buf = append(buf, c)
					i++
				}
			case '\\':
				if i+1 < n {
					switch next := line[i+1]; next {
					case ' ', '\t', '\'', '"', '\\':
						buf = append(buf, next)
						i += 2
						continue
					}
				}
				// Kept as is; the next character (if any) is an ordinary
				// one and is taken on the next turn.
				buf = append(buf, '\\')
				i++
			default:
				buf = append(buf, c)
				i++
			}
		}
		words = append(words, string(buf))
	}
}

// column returns the 1-based column, in characters, of byte offset i.
func column(line string, i int) int {
	return utf8.RuneCountInString(line[:i]) + 1
}

// LineEnd says how a physical line leaves the command being read.
type LineEnd int

const (
	// LineDone: the command ends with this line.
	LineDone LineEnd = iota
	// LineJoined: the line ends in a backslash that escapes the newline,
	// outside quotes or inside double quotes (as in sh): the backslash
	// and the newline go, and the command goes on with the next line.
	LineJoined
	// LineQuoted: a quote is open at the end of the line: the newline is
	// quoted text, kept, and the command goes on with the next line.
	LineQuoted
)

// Scanner follows a command read line by line, with Split's quoting
// rules, to tell where it ends: a line ending in a backslash, or inside
// a quote, goes on with the next line. It looks at each byte once,
// so a command of many lines costs no more than one long line. The zero
// value is ready for the first line of a command.
type Scanner struct {
	quote byte // the open quote, '\'' or '"', or 0
	// inWord says the command so far ends inside a word, so that a #
	// next is an ordinary character, not a comment.
	inWord bool
	lines  int // lines scanned
	// openLine is the line (1-based, of this command) where the open
	// quote opened.
	openLine int
}

// Line is what Scanner.Scan found in one line.
type Line struct {
	// Text is the line as it joins the command: without the backslash
	// that escapes its newline.
	Text string
	// End says whether the command ends with this line.
	End LineEnd
	// Comment is the byte offset in the line of the # that starts a
	// comment, or -1.
	Comment int
}

// Scan reads the next physical line of the command, without its newline.
func (s *Scanner) Scan(line string) Line {
	s.lines++
	if s.quote == 0 && plain(line) {
		// No quote, backslash or #, the usual line: it ends the
		// command, and only its last byte matters for the next.
		if line != "" {
			s.inWord = !isBlank(line[len(line)-1])
		}
		return Line{Text: line, End: LineDone, Comment: -1}
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch s.quote {
		case '\'':
			if c == '\'' {
				s.quote = 0
			}
			continue
		case '"':
			switch {
			case c == '"':
				s.quote = 0
			case c == '\\' && i+1 == len(line):
				return Line{Text: line[:i], End: LineJoined, Comment: -1}
			case c == '\\' && (line[i+1] == '"' || line[i+1] == '\\'):
				i++
			}
			continue
		}
		switch {
		case isBlank(c):
			s.inWord = false
			continue
		case c == '#' && !s.inWord:
			// A comment: its quotes and a backslash at its end are text.
			return Line{Text: line, End: LineDone, Comment: i}
		case c == '\'' || c == '"':
			s.quote = c
			s.openLine = s.lines
		case c == '\\':
			if i+1 == len(line) {
				return Line{Text: line[:i], End: LineJoined, Comment: -1}
			}
			switch line[i+1] {
			case ' ', '\t', '\'', '"', '\\':
				i++ // an escaped character, part of the word
			}
		}
		s.inWord = true
	}
	if s.quote != 0 {
		return Line{Text: line, End: LineQuoted, Comment: -1}
	}
	return Line{Text: line, End: LineDone, Comment: -1}
}

// plain reports whether line has no quote, backslash or #.
func plain(line string) bool {
	for i := 0; i < len(line); i++ {
		if class[line[i]] >= classHash {
			return false
		}
	}
	return true
}

// InQuote reports whether the command so far ends inside a quote.
func (s *Scanner) InQuote() bool { return s.quote != 0 }

// QuoteLine is the line of the command (1-based) where the open quote
// opened.
func (s *Scanner) QuoteLine() int { return s.openLine }

// QuoteName names the open quote for an error: "single" or "double".
func (s *Scanner) QuoteName() string {
	if s.quote == '"' {
		return "double"
	}
	return "single"
}

package repl

import (
	"fmt"
	"unicode/utf8"
)

// Messages carried by a *SyntaxError returned from Tokenize.
const (
	MsgUnterminatedSingle = "unterminated single quote"
	MsgUnterminatedDouble = "unterminated double quote"
)

// SyntaxError reports bad quoting in a command line. Tokenize returns it as a
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

// Tokenize splits one command line into words, shell-like.
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
// An unclosed quote is a *SyntaxError. Any byte sequence is accepted
// otherwise: NUL, control characters and invalid UTF-8 are bytes of words.
func Tokenize(line string) ([]string, error) {
	// Fast path: no quotes and no backslashes, so the words are plain
	// substrings of line. Count them first to allocate once.
	count := 0
	inWord := false
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case ' ', '\t':
			inWord = false
		case '\'', '"', '\\':
			return tokenizeSlow(line)
		default:
			if !inWord {
				inWord = true
				count++
			}
		}
	}
	if count == 0 {
		return nil, nil
	}
	words := make([]string, 0, count)
	start := -1
	for i := 0; i < len(line); i++ {
		if c := line[i]; c == ' ' || c == '\t' {
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

// isBlank reports whether c separates words.
func isBlank(c byte) bool { return c == ' ' || c == '\t' }

// isSpecial reports whether c starts quoting or escaping outside quotes.
func isSpecial(c byte) bool { return c == '\'' || c == '"' || c == '\\' }

// tokenizeSlow handles the general case, quotes and backslashes included.
// A word without special characters is still taken as a substring of line;
// the others are built in a buffer shared by all words.
func tokenizeSlow(line string) ([]string, error) {
	words := make([]string, 0, 8)
	var buf []byte
	i, n := 0, len(line)
	for {
		for i < n && isBlank(line[i]) {
			i++
		}
		if i >= n {
			return words, nil
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

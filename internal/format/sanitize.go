package format

import (
	"strings"
	"unicode/utf8"
)

// Sanitize returns s with every control or otherwise dangerous character
// shown escaped, so that s can be written to a terminal: C0 controls other
// than newline and tab (ESC as \x1b, carriage return as \r), DEL as \x7f,
// C1 controls as \u009b, bidirectional controls (U+061C, U+200E, U+200F,
// U+202A–U+202E, U+2066–U+2069) as \u202e, and each byte of invalid UTF-8
// as \xff. Backslashes are not escaped. The result is valid UTF-8.
func Sanitize(s string) string {
	if clean(s, sanitizeMode) {
		return s
	}
	return string(appendSanitized(make([]byte, 0, len(s)+16), s, sanitizeMode))
}

// Typeable reports whether s is text a person could have typed on one
// line and that a terminal shows as it is: nothing Sanitize would escape,
// and no newline or tab either. Completion offers only such text.
func Typeable(s string) bool {
	return clean(s, lineMode) && strings.IndexByte(s, '\t') < 0
}

// A mode says which whitespace controls a sanitizer keeps.
type mode uint8

const (
	// sanitizeMode keeps \n and \t and escapes every \r (Sanitize).
	sanitizeMode mode = iota
	// textMode keeps \n and \t, drops the \r of a CRLF and escapes a bare
	// \r (text bodies at a terminal).
	textMode
	// lineMode keeps only \t (one-line fields: reason, header names and
	// values, request line), so nothing can start a fake line.
	lineMode
)

// safeASCII[c] is true for the ASCII bytes every mode writes as they are.
var safeASCII = func() (t [256]bool) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = true
	}
	t['\t'] = true
	return t
}()

// clean reports whether s needs no escaping in mode m. It is the fast path:
// most header lines and bodies are plain printable ASCII.
func clean[T ~string | ~[]byte](s T, m mode) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if safeASCII[c] || (c == '\n' && m != lineMode) {
			continue
		}
		if c < utf8.RuneSelf {
			return false
		}
		r, size := decodeRune(s[i:])
		if dangerous(r, size) {
			return false
		}
		i += size - 1
	}
	return true
}

// decodeRune decodes the first rune of s, which starts with a non-ASCII
// byte.
func decodeRune[T ~string | ~[]byte](s T) (rune, int) {
	if len(s) > utf8.UTFMax {
		s = s[:utf8.UTFMax]
	}
	return utf8.DecodeRuneInString(string(s))
}

// dangerous reports whether a decoded non-ASCII rune (size bytes long) must
// not reach a terminal raw: invalid UTF-8, a C1 control, a bidi control, or
// the line and paragraph separators (U+2028, U+2029) that can break what
// is shown into lines the server chose.
func dangerous(r rune, size int) bool {
	switch {
	case r == utf8.RuneError && size == 1:
		return true
	case r >= 0x80 && r <= 0x9f:
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f,
		r == 0x2028, r == 0x2029,
		r >= 0x202a && r <= 0x202e,
		r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

const hexDigits = "0123456789abcdef"

// appendUEscape appends r, a rune of the Basic Multilingual Plane (every
// rune the sanitizers escape is), as \uXXXX.
func appendUEscape(dst []byte, r rune) []byte {
	return append(dst, '\\', 'u',
		hexDigits[r>>12&0xf], hexDigits[r>>8&0xf], hexDigits[r>>4&0xf], hexDigits[r&0xf])
}

// appendSanitized appends s to dst with the characters that mode m does not
// keep escaped.
func appendSanitized[T ~string | ~[]byte](dst []byte, s T, m mode) []byte {
	start := 0 // s[start:i] is clean and not yet copied
	for i := 0; i < len(s); {
		c := s[i]
		if safeASCII[c] || (c == '\n' && m != lineMode) {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := decodeRune(s[i:])
			if !dangerous(r, size) {
				i += size
				continue
			}
			dst = append(dst, s[start:i]...)
			if size == 1 { // invalid UTF-8
				dst = append(dst, '\\', 'x', hexDigits[c>>4], hexDigits[c&0xf])
			} else {
				dst = appendUEscape(dst, r)
			}
			i += size
			start = i
			continue
		}
		dst = append(dst, s[start:i]...)
		switch {
		case c == '\r' && m == textMode && i+1 < len(s) && s[i+1] == '\n':
			// CRLF: the LF alone shows the same line break.
		case c == '\r':
			dst = append(dst, '\\', 'r')
		case c == '\n':
			dst = append(dst, '\\', 'n')
		default: // other C0 controls and DEL
			dst = append(dst, '\\', 'x', hexDigits[c>>4], hexDigits[c&0xf])
		}
		i++
		start = i
	}
	return append(dst, s[start:]...)
}

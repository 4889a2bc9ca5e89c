package format

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/bits"
	"unicode/utf8"
)

// prettyStatus is what appendPrettyJSON made of a document.
type prettyStatus uint8

const (
	// prettyDone: the document is valid and the output is
	// tidwall/pretty's for it.
	prettyDone prettyStatus = iota
	// prettyInvalid: the document is not valid JSON (json.Valid's
	// verdict).
	prettyInvalid
	// prettyDefer: the document holds what this pass leaves to checkJSON
	// and jsonDoc: nesting deeper than maxPrettyDepth (printed compact),
	// or, at a terminal, what appendTerminalJSON must escape first.
	prettyDefer
)

// prettyIndent holds the indentation of the deepest level printed pretty.
const prettyIndent = "                                                                " +
	"                                                                "

// appendPrettyJSON validates a JSON document and appends it laid out as
// tidwall/pretty lays it out with prettyOptions, in one pass, several
// times faster than checkJSON followed by pretty.PrettyOptions. It checks
// the grammar as checkJSON does (json.Valid's) and, with terminal, defers
// what checkJSON would find to fix. Unless the status is prettyDone the
// output is to be ignored.
//
// tidwall/pretty prints each container on one line when that takes at
// most 80 columns, counted from where the container starts, and it finds
// out by formatting the whole container that way first, at every level.
// This pass formats it on one line too, but starts again in the indented
// form as soon as the line is too long, so most bytes are formatted once.
func appendPrettyJSON(dst, src []byte, terminal bool) ([]byte, prettyStatus) {
	var (
		i int
		// nl is where tidwall/pretty counts the current line from:
		// len(dst)-nl is its column, which counts the newline itself when
		// the line was started by appending one rather than by turning
		// a space into it.
		nl    = len(dst)
		stack [maxPrettyDepth]byte // the open containers' '{' or '['
		depth int                  // how many are open
		// The one-line attempt: while line >= 0, the container opened at
		// depth line, and everything in it, is being laid out on one
		// line, which must end by limit. It started at src[lineI],
		// dst[lineDst].
		line           = -1
		limit          int
		lineI, lineDst int
		// indented is set when the container at src[i] did not fit on
		// one line.
		indented bool
	)
	if i = skipSpace(src, 0); i == len(src) {
		return dst, prettyInvalid
	}
	for {
		// A value starts here, at src[i].
		switch c := src[i]; c {
		case '{', '[':
			if depth == maxPrettyDepth {
				return dst, prettyDefer
			}
			if line < 0 && !indented {
				if max := prettyWidth - (len(dst) - nl); max > 3 {
					line, limit, lineI, lineDst = depth, len(dst)+max, i, len(dst)
				}
			}
			indented = false
			stack[depth] = c
			depth++
			dst = append(dst, c)
			if line >= 0 && c == '{' {
				dst = append(dst, ' ') // `{ "a": 1 }`, and `{ }` when empty
			}
			if i = skipSpace(src, i+1); i == len(src) {
				return dst, prettyInvalid
			}
			if src[i] == c+2 { // empty: `[]`, `{}`, or one-line `{ }`
				i++
				dst = append(dst, c+2)
				depth--
				break
			}
			if line < 0 {
				// tidwall/pretty writes `{ ` and turns the space into a
				// newline, but appends the newline after `[`.
				if c == '[' {
					nl = len(dst)
					dst = append(dst, '\n')
				} else {
					dst = append(dst, '\n')
					nl = len(dst)
				}
				dst = append(dst, prettyIndent[:2*depth]...)
			}
			if c == '{' {
				var ok bool
				if i, dst, ok = appendKey(dst, src, i, line, limit); !ok {
					if i != tooWide {
						return dst, prettyInvalid
					}
					dst, i, depth, line, indented = dst[:lineDst], lineI, line, -1, true
				}
			}
			continue // to the first value
		case '"':
			end := stringEnd(src, i, room(dst, line, limit))
			if end < 0 {
				if end == tooWide {
					dst, i, depth, line, indented = dst[:lineDst], lineI, line, -1, true
					continue
				}
				return dst, prettyInvalid
			}
			dst = append(dst, src[i:end]...)
			i = end
		case 't', 'f', 'n':
			word := "null"
			if c == 't' {
				word = "true"
			} else if c == 'f' {
				word = "false"
			}
			if string(src[i:min(i+len(word), len(src))]) != word {
				return dst, prettyInvalid
			}
			dst = append(dst, word...)
			i += len(word)
		default:
			end := numberEnd(src, i)
			if end < 0 {
				return dst, prettyInvalid
			}
			dst = append(dst, src[i:end]...)
			i = end
		}
		// A value ended: close containers until one goes on with ','.
		for {
			if line >= 0 {
				if len(dst) > limit {
					// Too wide: lay the container out indented.
					dst, i, depth, line, indented = dst[:lineDst], lineI, line, -1, true
					break
				}
				if depth == line {
					line = -1 // the container fitted
				}
			}
			i = skipSpace(src, i)
			if depth == 0 {
				if i < len(src) {
					return dst, prettyInvalid
				}
				if terminal && needsTerminalFix(src) {
					return dst, prettyDefer
				}
				return append(dst, '\n'), prettyDone
			}
			if i == len(src) {
				return dst, prettyInvalid
			}
			open, c := stack[depth-1], src[i]
			i++
			if c == ',' {
				if line >= 0 {
					dst = append(dst, ',', ' ')
				} else {
					dst = append(dst, ',', '\n')
					nl = len(dst)
					dst = append(dst, prettyIndent[:2*depth]...)
				}
				if i = skipSpace(src, i); i == len(src) {
					return dst, prettyInvalid
				}
				if open == '{' {
					var ok bool
					if i, dst, ok = appendKey(dst, src, i, line, limit); !ok {
						if i != tooWide {
							return dst, prettyInvalid
						}
						dst, i, depth, line, indented = dst[:lineDst], lineI, line, -1, true
					}
				}
				break // to the next value
			}
			if c != open+2 {
				return dst, prettyInvalid
			}
			depth--
			if line >= 0 {
				if open == '{' {
					dst = append(dst, ' ')
				}
			} else {
				nl = len(dst)
				dst = append(dst, '\n')
				dst = append(dst, prettyIndent[:2*depth]...)
			}
			dst = append(dst, c)
		}
	}
}

// stringEnd's answers that are not an index.
const (
	badString = -1 // the string is not valid JSON
	tooWide   = -2 // the string would take the line past its limit
)

// room is how many more bytes the current line may take: unlimited
// unless a one-line attempt is under way.
func room(dst []byte, line, limit int) int {
	if line < 0 {
		return math.MaxInt
	}
	return limit - len(dst)
}

// appendKey appends an object's `"key": ` from src[i] and skips the
// whitespace after the colon. It returns the position of the value, or,
// with false, badString when the document is invalid or tooWide when the
// key takes the line past its limit.
func appendKey(dst, src []byte, i, line, limit int) (int, []byte, bool) {
	if src[i] != '"' {
		return badString, dst, false
	}
	end := stringEnd(src, i, room(dst, line, limit))
	if end < 0 {
		return end, dst, false
	}
	dst = append(dst, src[i:end]...)
	if i = skipSpace(src, end); i == len(src) || src[i] != ':' {
		return badString, dst, false
	}
	dst = append(dst, ':', ' ')
	if i = skipSpace(src, i+1); i == len(src) {
		return badString, dst, false
	}
	return i, dst, true
}

// Words of eight bytes, for looking at eight bytes of input at once.
const (
	allOnes    = 0x0101010101010101
	allHigh    = 0x8080808080808080
	allSpaces  = ' ' * allOnes
	allQuotes  = '"' * allOnes
	allEscapes = '\\' * allOnes
	allC0      = 0x20 * allOnes
)

// skipSpace returns the position of the first byte at or after i that is
// not JSON whitespace, or len(src).
func skipSpace(src []byte, i int) int {
	for i < len(src) {
		switch src[i] {
		case '\n', ' ':
			i++
			// Indentation: up to eight more spaces at once.
			if i+8 <= len(src) {
				i += bits.TrailingZeros64(binary.LittleEndian.Uint64(src[i:])^allSpaces) >> 3
			}
		case '\t', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// stringEnd returns the position after the JSON string that starts at
// src[i], or badString, or tooWide when the string is longer than room
// (which it finds out without reading further).
func stringEnd(src []byte, i, room int) int {
	end := len(src)
	if room < end-i {
		end = i + max(room, 0)
	}
	for i++; ; {
		// Eight bytes at a time up to a quote, a backslash or a control
		// character: the lowest high bit of the word marks the first.
		for i+8 <= end {
			x := binary.LittleEndian.Uint64(src[i:])
			q, e := x^allQuotes, x^allEscapes
			if m := ((q-allOnes)&^q | (e-allOnes)&^e | (x-allC0)&^x) & allHigh; m != 0 {
				i += bits.TrailingZeros64(m) >> 3
				break
			}
			i += 8
		}
		for i < end && !jsonQuoteOrEscape[src[i]] {
			i++
		}
		if i >= end {
			if end < len(src) {
				return tooWide
			}
			return badString
		}
		switch src[i] {
		case '"':
			return i + 1
		case '\\':
			if i+1 >= len(src) {
				return badString
			}
			switch src[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(src) || !isHex(src[i+2]) || !isHex(src[i+3]) || !isHex(src[i+4]) || !isHex(src[i+5]) {
					return badString
				}
				i += 6
			default:
				return badString
			}
		default: // a control character
			return badString
		}
	}
}

// jsonQuoteOrEscape[c] is true for the bytes that end a run of plain
// bytes in a JSON string when only its validity matters: the closing
// quote, a backslash and C0 controls.
var jsonQuoteOrEscape = func() (t [256]bool) {
	for c := 0; c < 0x20; c++ {
		t[c] = true
	}
	t['"'] = true
	t['\\'] = true
	return t
}()

// numberEnd returns the position after the JSON number that starts at
// src[i], or -1 when there is none:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func numberEnd(src []byte, i int) int {
	if src[i] == '-' {
		i++
	}
	switch {
	case i < len(src) && src[i] == '0':
		i++
	case i < len(src) && src[i] >= '1' && src[i] <= '9':
		i = digits(src, i)
	default:
		return -1
	}
	if i < len(src) && src[i] == '.' {
		if i++; i >= len(src) || !isDigit(src[i]) {
			return -1
		}
		i = digits(src, i)
	}
	if i < len(src) && (src[i] == 'e' || src[i] == 'E') {
		i++
		if i < len(src) && (src[i] == '+' || src[i] == '-') {
			i++
		}
		if i >= len(src) || !isDigit(src[i]) {
			return -1
		}
		i = digits(src, i)
	}
	return i
}

// needsTerminalFix reports, for a valid JSON document, what checkJSON
// reports as fix at a terminal. In valid JSON a carriage return can only
// be whitespace between tokens, and DEL or a non-ASCII byte only inside
// a string, so the whole document can be searched: for a carriage
// return, then for DEL and dangerous runes, decoded in the order
// checkJSON decodes them.
func needsTerminalFix(doc []byte) bool {
	if bytes.IndexByte(doc, '\r') >= 0 {
		return true
	}
	for i := 0; i < len(doc); {
		if i+8 <= len(doc) && binary.LittleEndian.Uint64(doc[i:])&allHigh == 0 &&
			!hasDEL(binary.LittleEndian.Uint64(doc[i:])) {
			i += 8
			continue
		}
		c := doc[i]
		switch {
		case c < 0x7f:
			i++
		case c == 0x7f:
			return true
		default:
			r, size := utf8.DecodeRune(doc[i:])
			if dangerous(r, size) {
				return true
			}
			i += size
		}
	}
	return false
}

// hasDEL reports whether a word of ASCII bytes holds DEL (0x7f, which
// alone turns to 0x80 when one is added to each byte).
func hasDEL(x uint64) bool { return (x+allOnes)&allHigh != 0 }

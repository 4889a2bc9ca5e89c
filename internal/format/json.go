package format

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/reqsh/reqsh/internal/jsonnum"
)

// maxPrettyDepth is the deepest nesting printed pretty. tidwall/pretty's
// output grows with the square of the depth, so deeper documents print
// compact.
const maxPrettyDepth = 64

// maxJSONDepth is encoding/json's nesting limit: deeper documents are not
// valid for json.Valid and json.Compact.
const maxJSONDepth = 10000

// jsonStringByte[c] is true for the bytes that stop the scan inside a JSON
// string: the closing quote, a backslash, C0 controls (invalid there), DEL
// and every non-ASCII byte.
var jsonStringByte = func() (t [256]bool) {
	for c := 0; c < 0x20; c++ {
		t[c] = true
	}
	t['"'] = true
	t['\\'] = true
	for c := 0x7f; c < 0x100; c++ {
		t[c] = true
	}
	return t
}()

// jsonInfo is what checkJSON learns about a document.
type jsonInfo struct {
	valid bool // json.Valid(doc)
	depth int  // the greatest nesting depth of arrays and objects
	// fix is set, when looking for it, if the document holds something
	// that must not reach a terminal: DEL, C1 or bidi runes or invalid
	// UTF-8 inside strings, or a carriage return between tokens.
	fix bool
}

// checkJSON validates a JSON document in one pass, with the grammar and
// nesting limit of json.Valid, and measures its depth. With terminal it
// also looks for what appendTerminalJSON must escape. It is several times
// faster than json.Valid, and json.Valid's equal (FuzzCheckJSON).
func checkJSON(b []byte, terminal bool) jsonInfo {
	s := jsonScanner{b: b, terminal: terminal}
	return jsonInfo{valid: s.document(), depth: s.maxDepth, fix: s.fix}
}

// jsonScanner is checkJSON's state: the document and the read position.
type jsonScanner struct {
	b        []byte
	i        int
	terminal bool
	fix      bool
	maxDepth int
}

// document reads one value with whitespace around it, up to the end.
func (s *jsonScanner) document() bool {
	stack := make([]byte, 0, 64) // '{' or '[' for each open container
	for {
		// A value starts here.
		s.space()
		if s.i >= len(s.b) {
			return false
		}
		switch c := s.b[s.i]; c {
		case '{', '[':
			s.i++
			stack = append(stack, c)
			if len(stack) > s.maxDepth {
				if len(stack) > maxJSONDepth {
					return false
				}
				s.maxDepth = len(stack)
			}
			s.space()
			if s.i >= len(s.b) || s.b[s.i] != c+2 { // not '}' or ']'
				if c == '{' && !s.key() {
					return false
				}
				continue // to the first value
			}
			s.i++ // empty
			stack = stack[:len(stack)-1]
		case '"':
			if !s.str() {
				return false
			}
		case 't':
			if !s.literal("true") {
				return false
			}
		case 'f':
			if !s.literal("false") {
				return false
			}
		case 'n':
			if !s.literal("null") {
				return false
			}
		default:
			if !s.number() {
				return false
			}
		}
		// A value ended: close containers until one goes on with ','.
		for {
			s.space()
			if len(stack) == 0 {
				return s.i == len(s.b)
			}
			if s.i >= len(s.b) {
				return false
			}
			top, c := stack[len(stack)-1], s.b[s.i]
			s.i++
			if c == ',' {
				if top == '{' && !s.key() {
					return false
				}
				break
			}
			if c != top+2 {
				return false
			}
			stack = stack[:len(stack)-1]
		}
	}
}

// space skips whitespace, noting a carriage return for a terminal.
func (s *jsonScanner) space() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n':
		case '\r':
			s.fix = s.fix || s.terminal
		default:
			return
		}
		s.i++
	}
}

// key reads an object's `"key" :` and leaves s.i after the colon.
func (s *jsonScanner) key() bool {
	s.space()
	if s.i >= len(s.b) || s.b[s.i] != '"' || !s.str() {
		return false
	}
	s.space()
	if s.i >= len(s.b) || s.b[s.i] != ':' {
		return false
	}
	s.i++
	return true
}

// str reads a string starting at its opening quote.
func (s *jsonScanner) str() bool {
	b, i := s.b, s.i+1
	for {
		for i < len(b) && !jsonStringByte[b[i]] {
			i++
		}
		if i >= len(b) {
			return false
		}
		switch c := b[i]; {
		case c == '"':
			s.i = i + 1
			return true
		case c == '\\':
			if i+1 >= len(b) {
				return false
			}
			switch b[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(b) || !isHex(b[i+2]) || !isHex(b[i+3]) || !isHex(b[i+4]) || !isHex(b[i+5]) {
					return false
				}
				i += 6
			default:
				return false
			}
		case c < 0x20:
			return false
		case !s.terminal || s.fix:
			i++
		case c == 0x7f:
			s.fix = true
			i++
		default:
			r, size := utf8.DecodeRune(b[i:])
			if dangerous(r, size) {
				s.fix = true
			}
			i += size
		}
	}
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// literal reads true, false or null.
func (s *jsonScanner) literal(word string) bool {
	if !bytes.HasPrefix(s.b[s.i:], []byte(word)) {
		return false
	}
	s.i += len(word)
	return true
}

// number reads a number (see jsonnum.End).
func (s *jsonScanner) number() bool {
	end := jsonnum.End(s.b, s.i)
	if end < 0 {
		return false
	}
	s.i = end
	return true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// appendTerminalJSON appends the valid JSON document b to dst made safe for
// a terminal and still valid JSON: DEL, C1 and bidi runes inside strings
// become \uXXXX escapes, invalid UTF-8 bytes become \ufffd, and carriage
// returns between tokens are dropped.
func appendTerminalJSON(dst, b []byte) []byte {
	start := 0
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '"':
			for i++; i < len(b); i++ {
				c := b[i]
				if !jsonStringByte[c] {
					continue
				}
				if c == '"' {
					break
				}
				if c == '\\' {
					i++
					continue
				}
				r, size := rune(c), 1
				if c != 0x7f {
					r, size = utf8.DecodeRune(b[i:])
					if !dangerous(r, size) {
						i += size - 1
						continue
					}
				}
				dst = append(dst, b[start:i]...)
				dst = appendUEscape(dst, r)
				i += size - 1
				start = i + 1
			}
		case '\r':
			dst = append(dst, b[start:i]...)
			start = i + 1
		}
	}
	return append(dst, b[start:]...)
}

// jsonKind says how a body was recognized as JSON.
type jsonKind uint8

const (
	notJSON    jsonKind = iota
	jsonType            // the Content-Type says JSON
	ndjsonType          // the Content-Type says newline-delimited JSON
	jsonSniff           // no or a text/plain Content-Type, the body starts like JSON
)

// kindOf tells from a media type (lowercase, no parameters) and the body
// whether the body should be tried as JSON.
func kindOf(mt string, body []byte) jsonKind {
	switch {
	case isNDJSONType(mt):
		return ndjsonType
	case isJSONType(mt):
		return jsonType
	case mt == "" || mt == "text/plain":
		for _, c := range body {
			switch c {
			case ' ', '\t', '\n', '\r':
				continue
			case '{', '[':
				return jsonSniff
			}
			return notJSON
		}
	}
	return notJSON
}

// isJSONType reports whether a media type names JSON: application/json,
// text/json, */x-json, or a +json suffix (application/problem+json).
func isJSONType(mt string) bool {
	slash := strings.IndexByte(mt, '/')
	if slash < 0 {
		return false
	}
	sub := mt[slash+1:]
	return sub == "json" || sub == "x-json" || strings.HasSuffix(sub, "+json")
}

// isNDJSONType reports whether a media type names newline-delimited JSON.
func isNDJSONType(mt string) bool {
	switch mt {
	case "application/x-ndjson", "application/ndjson", "application/jsonl",
		"application/x-jsonlines", "application/jsonlines", "application/x-ldjson":
		return true
	}
	return false
}

// ndjsonLines calls fn for each non-blank line of body with the line's
// surrounding whitespace trimmed, and stops when fn returns false.
func ndjsonLines(body []byte, fn func(line []byte) bool) {
	for len(body) > 0 {
		line := body
		if i := bytes.IndexByte(body, '\n'); i >= 0 {
			line, body = body[:i], body[i+1:]
		} else {
			body = nil
		}
		line = bytes.TrimSpace(line)
		if len(line) > 0 && !fn(line) {
			return
		}
	}
}

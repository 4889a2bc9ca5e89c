package format

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// maxPrettyDepth is the deepest nesting printed pretty. tidwall/pretty's
// output grows with the square of the depth, so deeper documents print
// compact.
const maxPrettyDepth = 64

// jsonStringByte[c] is true for the bytes that stop the scan inside a JSON
// string: the closing quote, a backslash, DEL and every non-ASCII byte.
var jsonStringByte = func() (t [256]bool) {
	t['"'] = true
	t['\\'] = true
	for c := 0x7f; c < 0x100; c++ {
		t[c] = true
	}
	return t
}()

// scanJSON makes one pass over a valid JSON document, skipping the insides
// of strings, and returns its greatest nesting depth. With terminal it also
// reports whether the document holds something that must not reach a
// terminal: DEL, C1 or bidi runes or invalid UTF-8 inside strings, or a
// carriage return between tokens. (Valid JSON has no raw C0 controls in its
// strings.)
func scanJSON(b []byte, terminal bool) (depth int, fix bool) {
	d := 0
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
				if !terminal || fix {
					continue
				}
				if c == 0x7f {
					fix = true
					continue
				}
				r, size := utf8.DecodeRune(b[i:])
				if dangerous(r, size) {
					fix = true
				}
				i += size - 1
			}
		case '{', '[':
			d++
			if d > depth {
				depth = d
			}
		case '}', ']':
			d--
		case '\r':
			if terminal {
				fix = true
			}
		}
	}
	return depth, fix
}

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
				dst = append(dst, '\\', 'u',
					hexDigits[r>>12&0xf], hexDigits[r>>8&0xf],
					hexDigits[r>>4&0xf], hexDigits[r&0xf])
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
	notJSON  jsonKind = iota
	jsonType          // the Content-Type says JSON
	ndjsonType        // the Content-Type says newline-delimited JSON
	jsonSniff         // no or a text/plain Content-Type, the body starts like JSON
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

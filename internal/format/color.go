package format

import "github.com/tidwall/pretty"

// appendColor appends valid JSON src to dst colored with style, byte for
// byte what pretty.Color writes for it. pretty.Color passes each byte
// through a function call and grows its output from nothing; this copies
// runs of plain bytes (string contents, indentation) at once into a
// buffer sized up front, several times faster on large documents. Its
// per-byte escaping of control characters is not needed: valid JSON has
// none outside whitespace.
func appendColor(dst, src []byte, style *pretty.Style) []byte {
	if need := 3 * len(src); cap(dst)-len(dst) < need {
		// Colors about triple the size of a document of short values.
		dst = append(make([]byte, 0, len(dst)+need), dst...)
	}
	type level struct {
		object bool // an object, not an array
		key    bool // the next string is a key
	}
	var stack []level
	top := func() *level {
		if len(stack) == 0 {
			return nil
		}
		return &stack[len(stack)-1]
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '"':
			var open, close string
			if t := top(); t != nil && t.key {
				open, close = style.Key[0], style.Key[1]
			} else {
				open, close = style.String[0], style.String[1]
			}
			dst = append(dst, open...)
			dst = append(dst, '"')
			i++
			for i < len(src) {
				// The run up to the next quote or backslash goes at once.
				j := i
				for j < len(src) && src[j] != '"' && src[j] != '\\' {
					j++
				}
				dst = append(dst, src[i:j]...)
				i = j
				if i >= len(src) {
					break
				}
				if src[i] == '"' {
					dst = append(dst, '"')
					break
				}
				// An escape: \x, or \uXXXX.
				n := 2
				if i+1 < len(src) && src[i+1] == 'u' {
					n = 6
				}
				n = min(n, len(src)-i)
				dst = append(dst, close...)
				dst = append(dst, style.Escape[0]...)
				dst = append(dst, src[i:i+n]...)
				dst = append(dst, style.Escape[1]...)
				dst = append(dst, open...)
				i += n
			}
			dst = append(dst, close...)
		case c == '{' || c == '[':
			stack = append(stack, level{object: c == '{', key: c == '{'})
			dst = appendWrapped(dst, c, style.Brackets)
		case (c == '}' || c == ']') && len(stack) > 0:
			stack = stack[:len(stack)-1]
			dst = appendWrapped(dst, c, style.Brackets)
		case (c == ':' || c == ',') && len(stack) > 0 && top().object:
			top().key = !top().key
			dst = appendWrapped(dst, c, style.Brackets)
		case c == ' ' || c == '\n' || c == '\t' || c == '\r':
			j := i + 1
			for j < len(src) && (src[j] == ' ' || src[j] == '\n' || src[j] == '\t' || src[j] == '\r') {
				j++
			}
			dst = append(dst, src[i:j]...)
			i = j - 1
		default:
			var paint [2]string
			switch {
			case c >= '0' && c <= '9' || c == '-':
				paint = style.Number
			case c == 't':
				paint = style.True
			case c == 'f':
				paint = style.False
			case c == 'n':
				paint = style.Null
			default:
				// A comma between array items: plain.
				dst = append(dst, c)
				continue
			}
			j := i + 1
			for j < len(src) && src[j] > ' ' && src[j] != ',' && src[j] != ':' && src[j] != ']' && src[j] != '}' {
				j++
			}
			dst = append(dst, paint[0]...)
			dst = append(dst, src[i:j]...)
			dst = append(dst, paint[1]...)
			i = j - 1
		}
	}
	return dst
}

// appendWrapped appends c between the two halves of a paint.
func appendWrapped(dst []byte, c byte, paint [2]string) []byte {
	dst = append(dst, paint[0]...)
	dst = append(dst, c)
	return append(dst, paint[1]...)
}

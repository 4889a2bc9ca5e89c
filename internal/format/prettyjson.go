package format

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/bits"
	"slices"
	"unicode/utf8"

	"github.com/reqsh/reqsh/internal/jsonnum"
)

// prettyStatus is what prettyJSON.append made of a document.
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

// prettyJSON lays out JSON documents as tidwall/pretty does with
// prettyOptions, several times faster than checkJSON followed by
// pretty.PrettyOptions. It keeps its scratch for the next document.
//
// tidwall/pretty prints each container on one line when that takes at
// most 80 columns, counted from where the container starts, and it finds
// out by formatting the whole container on one line first, at every
// level, which reads the bytes of a nested document many times over.
// This reads them once: a first pass validates the document and splits
// it into tokens, measuring the one-line width of every container as it
// closes; a second pass writes the tokens out, knowing for each
// container whether it fits.
type prettyJSON struct {
	toks []jsonToken
	// The open containers: kept here rather than on the stack of each
	// call, which would clear them for every document.
	opened [maxPrettyDepth]struct { // tokenize's
		tok, width int
		open       byte
	}
	levels [maxPrettyDepth]struct { // layout's
		open    byte
		oneLine bool
		items   bool // an item was written
	}
}

// jsonToken is a value, a key or a bracket of a document: the bytes
// src[start:end], except that for an opening bracket end holds the
// one-line width of its container (at most maxWidth).
type jsonToken struct{ start, end uint32 }

// maxWidth stands for every one-line width too large to count.
const maxWidth = math.MaxInt32

// keepTokens is the most tokens a prettyJSON keeps for the next
// document.
const keepTokens = 64 << 10

// append validates a JSON document and appends it laid out as
// tidwall/pretty lays it out: check, then appendLayout. Unless the
// status is prettyDone, dst comes back unchanged.
func (p *prettyJSON) append(dst, src []byte, terminal bool) ([]byte, prettyStatus) {
	status := p.check(src, terminal)
	if status == prettyDone {
		dst = p.appendLayout(dst, src)
	}
	return dst, status
}

// check validates a JSON document, as checkJSON does (json.Valid's
// grammar), and splits it into tokens for appendLayout. With terminal,
// it defers what checkJSON would find to fix. Only after prettyDone may
// appendLayout follow, with the same src.
func (p *prettyJSON) check(src []byte, terminal bool) prettyStatus {
	if len(src) >= math.MaxInt32 {
		return prettyDefer // offsets would not fit in a token
	}
	if n := len(src)/6 + 16; cap(p.toks) < n {
		// A token for every six bytes is about what JSON averages: one
		// allocation, not a series of doublings.
		p.toks = make([]jsonToken, 0, n)
	}
	var status prettyStatus
	p.toks, status = p.tokenize(p.toks[:0], src)
	if status == prettyDone && terminal && needsTerminalFix(src) {
		status = prettyDefer
	}
	if status != prettyDone {
		p.release()
	}
	return status
}

// appendLayout appends src, which check found valid, laid out as
// tidwall/pretty lays it out.
func (p *prettyJSON) appendLayout(dst, src []byte) []byte {
	dst = slices.Grow(dst, layoutSize(src))
	dst = p.layout(dst, src)
	p.release()
	return dst
}

// layoutSize is about the size of src laid out: the input plus half for
// the indentation.
func layoutSize(src []byte) int { return len(src) + len(src)/2 + 16 }

// release drops the tokens of a document when they are too many to keep
// for the next one.
func (p *prettyJSON) release() {
	if cap(p.toks) > keepTokens {
		p.toks = nil
	}
}

// tokenize validates src and splits it into tokens, appended to toks.
func (p *prettyJSON) tokenize(toks []jsonToken, src []byte) ([]jsonToken, prettyStatus) {
	var (
		// The open containers: their opening tokens, the one-line width
		// of what came before each, and their '{' or '['.
		stack = &p.opened
		depth int
		width int // the one-line width of the document so far
	)
	i := skipSpace(src, 0)
	for {
		// A value starts here.
		if i == len(src) {
			return toks, prettyInvalid
		}
		switch c := src[i]; c {
		case '{', '[':
			if depth == maxPrettyDepth {
				return toks, prettyDefer
			}
			stack[depth].tok, stack[depth].width, stack[depth].open = len(toks), width, c
			depth++
			toks = append(toks, jsonToken{start: uint32(i)})
			width++
			if c == '{' {
				width++ // `{ `
			}
			if i = skipSpace(src, i+1); i == len(src) || src[i] != c+2 {
				if c == '{' {
					if toks, width, i = appendKey(toks, width, src, i); i < 0 {
						return toks, prettyInvalid
					}
				}
				continue // to the first value
			}
			// Empty: its closing bracket is read below.
		default:
			var end int
			if c == '"' {
				// The most common scalar, read without scalarEnd's call
				// in between.
				end = stringEnd(src, i)
			} else {
				end = scalarEnd(src, i)
			}
			if end < 0 {
				return toks, prettyInvalid
			}
			toks = append(toks, jsonToken{uint32(i), uint32(end)})
			width += end - i
			i = end
		}
		// A value ended: close containers until one goes on with ','.
		for {
			i = skipSpace(src, i)
			if depth == 0 {
				if i < len(src) {
					return toks, prettyInvalid
				}
				return toks, prettyDone
			}
			if i == len(src) {
				return toks, prettyInvalid
			}
			open := &stack[depth-1]
			bracket := open.open
			c := src[i]
			i++
			if c == ',' {
				width += 2 // `, `
				i = skipSpace(src, i)
				if bracket == '{' {
					if toks, width, i = appendKey(toks, width, src, i); i < 0 {
						return toks, prettyInvalid
					}
				}
				break // to the next value
			}
			if c != bracket+2 {
				return toks, prettyInvalid
			}
			if c == '}' && len(toks)-1 != open.tok {
				width++ // ` }` after the last value
			}
			width++
			toks = append(toks, jsonToken{uint32(i - 1), uint32(i)})
			toks[open.tok].end = uint32(min(width-open.width, maxWidth))
			depth--
		}
	}
}

// layout appends the tokens of a valid document in tidwall/pretty's
// layout.
func (p *prettyJSON) layout(dst, src []byte) []byte {
	var (
		// nl is where tidwall/pretty counts the current line from:
		// len(dst)-nl is its column, which counts the newline itself when
		// the line was started by appending one rather than by turning
		// a space into it.
		nl = len(dst)
		// The open containers: '{' or '[', whether it prints on one
		// line, and whether it has items printed.
		stack = &p.levels
		depth int
	)
	toks := p.toks
	for t := 0; t < len(toks); t++ {
		tok := toks[t]
		c := src[tok.start]
		if depth > 0 {
			l := &stack[depth-1]
			if c == '}' || c == ']' {
				depth--
				switch {
				case l.oneLine && c == '}' && l.items:
					dst = append(dst, ' ')
				case !l.oneLine && l.items:
					nl = len(dst)
					dst = append(dst, '\n')
					dst = append(dst, prettyIndent[:2*depth]...)
				}
				dst = append(dst, c)
				continue
			}
			switch {
			case l.items && l.oneLine:
				dst = append(dst, ',', ' ')
			case l.items:
				dst = append(dst, ',', '\n')
				nl = len(dst)
			case l.oneLine: // `[` and `{ ` are written
			case l.open == '[':
				// After `[` tidwall/pretty appends the newline, but
				// after `{ ` it turns the space into one.
				nl = len(dst)
				dst = append(dst, '\n')
			default:
				dst = append(dst, '\n')
				nl = len(dst)
			}
			if !l.oneLine {
				dst = append(dst, prettyIndent[:2*depth]...)
			}
			l.items = true
			if l.open == '{' {
				dst = append(dst, src[tok.start:tok.end]...)
				dst = append(dst, ':', ' ')
				t++
				tok = toks[t]
				c = src[tok.start]
			}
		}
		if c != '{' && c != '[' {
			dst = append(dst, src[tok.start:tok.end]...)
			continue
		}
		oneLine := depth > 0 && stack[depth-1].oneLine
		if max := prettyWidth - (len(dst) - nl); !oneLine && max > 3 {
			oneLine = int(tok.end) <= max
		}
		stack[depth].open, stack[depth].oneLine, stack[depth].items = c, oneLine, false
		depth++
		dst = append(dst, c)
		if oneLine && c == '{' {
			dst = append(dst, ' ')
		}
	}
	return append(dst, '\n')
}

// appendKey reads an object's `"key" :` at src[i] and appends the key's
// token; it returns the one-line width with the key added and the
// position of the value after it, -1 when the key is not valid.
func appendKey(toks []jsonToken, width int, src []byte, i int) ([]jsonToken, int, int) {
	if i == len(src) || src[i] != '"' {
		return toks, width, -1
	}
	end := stringEnd(src, i)
	if end < 0 {
		return toks, width, -1
	}
	next := skipSpace(src, end)
	if next == len(src) || src[next] != ':' {
		return toks, width, -1
	}
	toks = append(toks, jsonToken{uint32(i), uint32(end)})
	return toks, width + end - i + 2, skipSpace(src, next+1) // `"key": `
}

// scalarEnd returns the position after the string, number or literal
// that starts at src[i], or -1 when there is none.
func scalarEnd(src []byte, i int) int {
	word := ""
	switch src[i] {
	case '"':
		return stringEnd(src, i)
	case 't':
		word = "true"
	case 'f':
		word = "false"
	case 'n':
		word = "null"
	default:
		return jsonnum.End(src, i)
	}
	if string(src[i:min(i+len(word), len(src))]) != word {
		return -1
	}
	return i + len(word)
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
		c := src[i]
		if c > ' ' {
			return i // most calls: punctuation, a key or a value
		}
		switch c {
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
// src[i], or -1 when it is not valid.
//
// It looks for the next quote, backslash or control character itself,
// not through a function of its own: such a function is just over the
// compiler's inlining budget, and a call for every key and string value
// is a few percent of the work on a small body.
func stringEnd(src []byte, i int) int {
	for i++; ; {
		// To the first quote, backslash or control character: eight
		// bytes at a time (the lowest high bit of m marks it), then byte
		// by byte in the last few bytes of src.
		for i+8 <= len(src) {
			x := binary.LittleEndian.Uint64(src[i:])
			q, e := x^allQuotes, x^allEscapes
			if m := ((q-allOnes)&^q | (e-allOnes)&^e | (x-allC0)&^x) & allHigh; m != 0 {
				i += bits.TrailingZeros64(m) >> 3
				break
			}
			i += 8
		}
		for i < len(src) && !jsonQuoteOrEscape[src[i]] {
			i++
		}
		if i == len(src) {
			return -1
		}
		switch src[i] {
		case '"':
			return i + 1
		case '\\':
			if i+1 >= len(src) {
				return -1
			}
			switch src[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(src) || !isHex(src[i+2]) || !isHex(src[i+3]) || !isHex(src[i+4]) || !isHex(src[i+5]) {
					return -1
				}
				i += 6
			default:
				return -1
			}
		default: // a control character
			return -1
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
